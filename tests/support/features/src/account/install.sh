#!/bin/sh
# Creates the user USERNAME with id USERID and a home directory: useradd (Debian), adduser
# (busybox with the applet), or the passwd and group files themselves (a minimal busybox).
set -e
if command -v useradd >/dev/null 2>&1; then
    useradd --create-home --uid "$USERID" --shell /bin/sh "$USERNAME"
elif command -v adduser >/dev/null 2>&1; then
    adduser -D -u "$USERID" -s /bin/sh "$USERNAME"
else
    echo "$USERNAME:x:$USERID:$USERID::/home/$USERNAME:/bin/sh" >> /etc/passwd
    echo "$USERNAME:x:$USERID:" >> /etc/group
    mkdir -p "/home/$USERNAME"
    chown "$USERID:$USERID" "/home/$USERNAME"
fi
echo "account $USERNAME created"
