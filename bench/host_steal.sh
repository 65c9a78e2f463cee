# host_steal.sh: sourced by the benchmark scripts, to tell how much of a run the host took.
# On a virtual machine, "steal" is time the hypervisor gave to other guests while this
# one's CPUs had work; a run with much of it measures the host, not the programs.
#   host_ticks        prints "STEAL TOTAL": the steal time and all CPU time so far, in
#                     ticks (the first line of /proc/stat; "0 0" if it cannot be read)
#   steal_pct A B     the steal share of the CPU time between two host_ticks readings, in %
host_ticks() {
    awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9 + 0, t; found = 1; exit }
         END { if (!found) print "0 0" }' /proc/stat 2>/dev/null || echo "0 0"
}
steal_pct() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[2] - x[2]
                                     printf "%.1f\n", (d > 0 ? (y[1] - x[1]) / d * 100 : 0) }'
}
