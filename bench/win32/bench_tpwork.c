/* bench_tpwork.c: SubmitThreadpoolWork of empty callbacks on the default pool.
 *   tp_submit_work_mops  one thread submits as fast as it can, in chunks; the time runs
 *                        until every callback has run (WaitForThreadpoolWorkCallbacks).
 * The anchor is asio_post_pool2_mops (bench/anchors/asio_post.cpp): one thread posts
 * trivial handlers to an io_context run by two threads. */
#include "bench_common.h"

static volatile LONG64 ran;

static VOID CALLBACK empty_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)context;
    (void)work;
}

int main(int argc, char **argv)
{
    double duration = bench_duration(argc, argv);
    PTP_WORK work = CreateThreadpoolWork(empty_cb, NULL, NULL);
    if (work == NULL) {
        fprintf(stderr, "CreateThreadpoolWork failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    /* Warm-up: threads started, first-use costs paid. */
    for (int i = 0; i < 100000; ++i) SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);

    long long submitted = 0;
    double start = bench_seconds();
    do {
        for (int i = 0; i < 1024; ++i) SubmitThreadpoolWork(work);
        submitted += 1024;
    } while (bench_seconds() - start < duration);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    double elapsed = bench_seconds() - start;
    bench_metric("tp_submit_work_mops", submitted / elapsed / 1e6, "mops");
    CloseThreadpoolWork(work);
    (void)ran;
    return 0;
}
