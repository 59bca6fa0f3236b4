#!/bin/sh
# Runs `java "$@"` and stops it when the process that started this script goes away, even when that
# process is killed with SIGKILL and cannot clean up: a stray DynamoDB Local would keep its port.
parent=$PPID
java "$@" &
child=$!
trap 'kill "$child" 2>/dev/null' TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
kill "$child" 2>/dev/null
wait "$child"
