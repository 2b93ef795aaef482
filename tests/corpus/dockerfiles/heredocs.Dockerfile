# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
apk add --no-cache bash
echo "installed"
EOF
COPY <<-"CONF" /etc/app.conf
	listen=8080
	root=/srv
	CONF
RUN <<A cat > /a && <<B cat > /b
first
A
second
B
RUN python3 - <<'PY'
print("hello")
PY
CMD ["sh"]
