//! A hint to the processor that a piece of memory will be read soon, so
//! that fetching it from main memory overlaps with other work. It changes
//! nothing but timing: the address is never dereferenced, and on machines
//! without the instruction it does nothing. Meant for the few places where
//! the next access is known one step ahead and lands at random in a large
//! table (the engine's next events, a population's member records).

/// Asks for the cache line holding `*p` to be brought close to the core.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of every x86-64 processor, and a prefetch
        // never dereferences its address (an invalid one is ignored).
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
