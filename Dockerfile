# One image for api, controller, worker and web; docker-compose.yml picks the command.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:20.20-bookworm-slim
# The controller speaks the built-in prompts with espeak-ng (resampled by sox); the API converts uploaded
# greetings with ffmpeg and types text into greetings with espeak-ng (docs/media.md); the worker checks and
# encodes call recordings with ffmpeg/ffprobe (LAME) and reads WAV headers with soxi.
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox ffmpeg \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
