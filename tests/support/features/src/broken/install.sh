#!/bin/sh
echo "about to fail"
echo "broken: giving up" >&2
exit "$CODE"
