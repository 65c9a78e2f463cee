/* bench_true.c: the child of bench_spawn under Wine, a Windows program that does nothing,
 * as /bin/true is for the native runs. */
int main(void)
{
    return 0;
}
