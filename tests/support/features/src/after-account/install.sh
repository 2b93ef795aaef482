#!/bin/sh
# Installed after `account` when both are used: lists the homes it finds.
set -e
mkdir -p /opt
ls /home > /opt/after-account.txt
