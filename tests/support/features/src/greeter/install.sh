#!/bin/sh
# Installs /opt/greeter/bin/greet, which greets $WHO (upper case when LOUD is true).
set -e
mkdir -p /opt
mkdir -p /opt/greeter/bin
greeting="hello $WHO ($STYLE)"
if [ "$LOUD" = "true" ]; then greeting=$(echo "$greeting" | tr a-z A-Z); fi
printf '#!/bin/sh\necho "%s"\n' "$greeting" > /opt/greeter/bin/greet
chmod 755 /opt/greeter/bin/greet
echo "uid=$(id -u) container=$_CONTAINER_USER remote=$_REMOTE_USER remote_home=$_REMOTE_USER_HOME" > /opt/greeter/installed-by
echo "greeter installed for $WHO"
