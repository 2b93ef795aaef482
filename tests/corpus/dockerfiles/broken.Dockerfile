RUN echo before from
FROM alpine AS 1stage
COPY onlyone
RUNN make
EXPOSE 70000 80/xyz
HEALTHCHECK --interval=5 CMD true
STOPSIGNAL SIGFOO
SHELL /bin/bash -c
ONBUILD FROM alpine
COPY --form=x a b
COPY a b c
ADD --checksum=sha256:abc https://example.com/x /x
RUN --network=bogus --mount=type=catch,target=/x true
CMD ['echo', 'hi']
