# syntax=docker/dockerfile:1
# escape=`
ARG V=1
FROM --platform=$BUILDPLATFORM busybox:${V:-1} AS a
RUN <<EOF bash
echo `
  hi
EOF
COPY --from=a --chmod=0755 ["/a b", "/c"]
HEALTHCHECK --interval=5s CMD ["true"]
ONBUILD RUN x
ENV A=1 B="2 3"
SHELL ["/bin/sh","-c"]
EXPOSE 80/tcp 1-2
USER 1:1
VOLUME ["/v"]
ENTRYPOINT ["/e"]
