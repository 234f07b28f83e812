# Sourced by recording fake tools (test/helpers.ts recordingTool): appends this call's argument vector
# and working directory to "$LOWBIT_FAKE_RECORD" as one JSON line. Bash builtins only, so a call costs
# no process beyond the fake itself; backslash, double quote, newline, tab and carriage return are
# escaped (the arguments lowbit passes hold no other control characters).
j() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}
{
  printf '{"argv":['
  sep=
  for a in "$@"; do
    printf '%s' "$sep"
    j "$a"
    sep=,
  done
  printf '],"cwd":'
  j "$PWD"
  printf '}\n'
} >> "$LOWBIT_FAKE_RECORD"
