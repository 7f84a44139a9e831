//! The process's memory allocator: jemalloc, asking the kernel for transparent huge pages.
//!
//! **Why.** wick's work is dominated by large, freshly written arrays: a loaded file's columns
//! (240 MB for five million bars), polars' buffers while it parses them, and each replay's event and
//! trade logs (about 27 MB for the engine benchmark's run, per configuration of a sweep). With the
//! C library's allocator those arrive as 4 KB pages, each faulted in on its first write and each a
//! TLB entry while the columns are scanned. Debian's kernels grant 2 MB transparent huge pages only
//! to memory that asks for them (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`);
//! jemalloc's `thp:always` (compiled in by `.cargo/config.toml`) asks for every mapping it makes.
//! Its decay settings there keep freed pages mapped, so the next configuration of a sweep, or the
//! next chunk of a CSV file, writes into pages already faulted in instead of fresh ones.
//!
//! **What it changes** (A/B of the same code with glibc's allocator, alternated in one sitting on
//! the 2-core benchmark VM; BENCHMARKS.md, 2026-12-02): a Parquet load of 5M bars 134 → 42–62 ms,
//! the single replay's best of 5 about 94 → 71 ms (medians of six alternations), a sweep within the
//! noise. Peak memory grows, inside every target: a CSV load 313 → 384–388 MB, a Parquet load
//! 318 → 349–369 MB, the 32-configuration sweep 661–763 → 719–760 MB.
//!
//! **What it does not change.** Results: allocation never affects a computed value. Where the
//! kernel refuses huge pages (`never`), jemalloc falls back to ordinary pages. `_RJEM_MALLOC_CONF`
//! overrides the options at run time (e.g. `thp:default`).
//!
//! It lives in the library, not only in `main.rs`, so that the benchmarks and tests, which link the
//! library, measure and exercise the allocator the `wick` binary runs with. Linux with glibc only;
//! elsewhere the system allocator stays.

#[cfg(all(target_os = "linux", not(target_env = "musl")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
