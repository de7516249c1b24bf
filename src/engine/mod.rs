//! The generic discrete-event kernel: a clock in [`SimTime`](crate::core::time::SimTime)
//! ticks and a future-event list that hands out events in order of time,
//! simultaneous events in the order they were scheduled.
//!
//! This is where the engine's edge lies: it is generic over the event payload
//! type `E` and knows nothing of mini-programs, reviews, platforms or users.
//! The domain defines its own event type and decides what firing one means;
//! the engine only stores, orders, cancels and releases payloads.
//! [`Simulation`] is the whole public surface; the heap and slab behind it
//! live in the private `queue` module, and the optional calendar of far
//! events in `calendar`.

mod calendar;
mod queue;
pub(crate) mod simulation;

pub(crate) use simulation::{ScheduleError, Simulation};
