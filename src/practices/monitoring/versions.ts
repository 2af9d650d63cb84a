/**
 * Official images the CI job runs promtool and amtool from, pinned by tag. Prometheus 3.5 is
 * an LTS release. Bump deliberately (the generated promtool tests run against it) and prefer
 * adding the digest (image:tag@sha256:…) once verified; we cannot verify digests offline here.
 */
export const PROMETHEUS_VERSION = '3.5.0';
export const ALERTMANAGER_VERSION = '0.28.1';
export const PROMETHEUS_IMAGE = `prom/prometheus:v${PROMETHEUS_VERSION}`;
export const ALERTMANAGER_IMAGE = `prom/alertmanager:v${ALERTMANAGER_VERSION}`;
