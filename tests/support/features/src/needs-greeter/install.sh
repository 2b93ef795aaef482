#!/bin/sh
# Runs the greeter its dependency installed: it must be on PATH through containerEnv.
set -e
mkdir -p /opt
greet > /opt/needs-greeter.txt
echo "GREETER_HOME=$GREETER_HOME" >> /opt/needs-greeter.txt
