# café
FROM alpine:3.20 AS base
LABEL note="café"
RUN printf '\351t\351\n'
