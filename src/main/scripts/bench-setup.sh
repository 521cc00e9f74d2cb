# bench-setup.sh: the start the pair benchmarks share (bench-trace.sh, bench-pairs.sh), sourced
# once they have set `here` (their directory) and `die`: sets `root` (the project), moves there,
# checks for jq and brings the project up to date (setup.sh), so that the runs compared are of
# the current build.
root="$(cd "$here/../../.." && pwd)"
cd "$root"
command -v jq >/dev/null || die "needs jq (apt-get install -y jq)"
"$here/setup.sh" >/dev/null
