FROM golang:1.22 AS Builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/app ./cmd/app

FROM scratch
COPY --from=builder /out/app /app
COPY --from=buildr /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
ENV APP_PORT=8080
EXPOSE ${APP_PORT}
USER ${APP_USR}
ENTRYPOINT ["/app"]
