# pairs.awk: the statistics of alternated pairs, for bench-trace.sh and bench-pairs.sh
# (awk -f pairs.awk -f PROGRAM): a median and its distribution-free 95% confidence interval,
# the order statistics of the pairs that bound it (binomial, normal approximation).

# sorts a[1..k] in place (k is a few hundred at most)
function sort(a, k,   i, j, t) {
  for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
# the median of a[1..k], sorted
function median(a, k) { return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
# the indexes of a sorted a[1..k] that bound its median at 95%
function low(k,   l) { l = int((k - 1.96 * sqrt(k)) / 2); return l < 1 ? 1 : l }
function high(k,   h) { h = 1 + (k + 1.96 * sqrt(k)) / 2; h = (h == int(h)) ? h : int(h) + 1; return h > k ? k : h }
