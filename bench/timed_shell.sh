#!/bin/sh
# `make SHELL=bench/timed_shell.sh MAKE_TIMING_LOG=FILE TARGET`: runs each recipe line with
# /bin/sh as make itself would, and appends one line per recipe line to FILE:
# start and end (seconds since the epoch), exit status, then the command on one line.
start=$(date +%s.%N)
/bin/sh "$@"
status=$?
end=$(date +%s.%N)
shift
printf '%s %s %s %s\n' "$start" "$end" "$status" "$(printf '%s' "$*" | tr '\n\t' '  ')" >> "$MAKE_TIMING_LOG"
exit $status
