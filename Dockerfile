# One image for every Mocky service; the command picks the service:
#   python -m mocky.platform.runner <auth|sessions|voice|billing|privacy>
#   python -m services.gateway
# Dependencies come from pyproject.toml (ranges tested in CI); pin the base image by
# digest in your registry mirror for bit-for-bit rebuilds.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mocky ./mocky
COPY services ./services
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCKY_ENV=production
RUN groupadd --system --gid 10001 mocky \
    && useradd --system --uid 10001 --gid mocky --no-create-home --shell /usr/sbin/nologin mocky
COPY --from=build /install /usr/local
USER 10001:10001
WORKDIR /tmp
EXPOSE 50051 8080 9100
ENTRYPOINT ["python", "-m"]
CMD ["mocky.platform.runner", "auth"]
