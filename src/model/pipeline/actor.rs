//! Who submits builds: an actor is a named platform or one member of a
//! population, numbered in one range (the platforms first, in scenario
//! order, then each population's members in turn), so an event names
//! either in 32 bits and the pipeline's rules are written once for both.

/// An actor's number: platforms first, then each population's members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Actor(pub(crate) u32);

/// What an actor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    /// Named platform `0` (scenario order).
    Platform(usize),
    /// Member `index` (0-based) of population `population`.
    Member {
        /// The population's index.
        population: usize,
        /// The member's index within it.
        index: u32,
    },
}

/// The numbering of actors.
#[derive(Clone, Debug)]
pub(crate) struct Roster {
    platforms: u32,
    /// The first actor of each population, in order.
    starts: Vec<u32>,
    /// One past the last actor.
    end: u32,
}

impl Roster {
    /// The roster of `platforms` platforms and populations of `counts` members.
    pub(crate) fn new(platforms: usize, counts: impl IntoIterator<Item = u32>) -> Roster {
        let platforms = u32::try_from(platforms).unwrap_or(u32::MAX);
        let mut end = platforms;
        let starts = counts
            .into_iter()
            .map(|n| {
                let start = end;
                end = end.saturating_add(n);
                start
            })
            .collect();
        Roster { platforms, starts, end }
    }

    /// What actor `a` is.
    #[inline]
    pub(crate) fn who(&self, a: Actor) -> Who {
        if a.0 < self.platforms {
            return Who::Platform(a.0 as usize);
        }
        // Populations are few: a short scan from the last.
        let population = self.starts.iter().rposition(|&s| s <= a.0).unwrap_or(0);
        Who::Member {
            population,
            index: a.0 - self.starts.get(population).copied().unwrap_or(0),
        }
    }

    /// The actor of named platform `p`.
    #[inline]
    pub(crate) fn platform(&self, p: usize) -> Actor {
        Actor(p as u32)
    }

    /// The actor of member `index` of population `population`.
    #[inline]
    pub(crate) fn member(&self, population: usize, index: u32) -> Actor {
        Actor(self.starts[population] + index)
    }

    /// The actor of `who`.
    #[inline]
    pub(crate) fn actor(&self, who: Who) -> Actor {
        match who {
            Who::Platform(p) => self.platform(p),
            Who::Member { population, index } => self.member(population, index),
        }
    }

    /// Every actor, platforms first.
    pub(crate) fn all(&self) -> impl Iterator<Item = Actor> {
        (0..self.end).map(Actor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_come_first_then_each_populations_members() {
        let r = Roster::new(2, [3, 0, 2]);
        let who: Vec<Who> = r.all().map(|a| r.who(a)).collect();
        let m = |population, index| Who::Member { population, index };
        assert_eq!(
            who,
            [
                Who::Platform(0),
                Who::Platform(1),
                m(0, 0),
                m(0, 1),
                m(0, 2),
                m(2, 0),
                m(2, 1)
            ]
        );
        for a in r.all() {
            assert_eq!(r.actor(r.who(a)), a);
        }
    }
}
