import { endpointFromDimensions } from "./endpoint.js";
import { either, type Fields, fields, list, text } from "./read.js";

/** What the alarm watches: one metric's namespace and name, and the endpoint its dimensions name. */
export interface WatchedMetric {
  namespace?: string;
  metricName?: string;
  endpointId?: string;
}

function metricOf(metric: Fields | undefined): WatchedMetric | undefined {
  if (!metric) return undefined;
  return {
    namespace: text(either(metric, "Namespace", "namespace")),
    metricName: text(either(metric, "MetricName", "name", "Name")),
    endpointId: endpointFromDimensions(either(metric, "Dimensions", "dimensions")),
  };
}

/** Of a metric-math alarm's queries, the one naming an endpoint, else the first plain metric. */
export function watchedOf(queries: unknown): WatchedMetric | undefined {
  const metrics = list(queries).flatMap((query) => {
    const stat = fields(either(fields(query) ?? {}, "MetricStat", "metricStat"));
    const metric = metricOf(fields(either(stat ?? {}, "Metric", "metric")));
    return metric ? [metric] : [];
  });
  return metrics.find((m) => m.endpointId) ?? metrics[0];
}

/** The metric of an SNS notification's `Trigger`: its own fields, or its `Metrics` queries (metric math). */
export function watchedOfTrigger(trigger: unknown): WatchedMetric | undefined {
  const fieldsOfTrigger = fields(trigger);
  if (!fieldsOfTrigger) return undefined;
  if (Array.isArray(fieldsOfTrigger.Metrics)) return watchedOf(fieldsOfTrigger.Metrics);
  return metricOf(fieldsOfTrigger);
}
