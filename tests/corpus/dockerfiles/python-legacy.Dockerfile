FROM python:3.12-slim as base
MAINTAINER Jane Doe <jane@example.com>
ENV PYTHONDONTWRITEBYTECODE 1
ENV PIP_NO_CACHE_DIR=1 \

    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ARG API_TOKEN
EXPOSE 8000/TCP
CMD gunicorn app:app --bind 0.0.0.0:8000
CMD ["python", "app.py"]
