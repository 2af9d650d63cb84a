import type { Model } from '../../model/types.js';
import type { AlertRule } from './alerts.js';
import type { RuleGroup } from './rules.js';

/**
 * Labels later practices add to generated alerts (`AlertModel.labels`: incident's severity),
 * merged at emit time into the rules, the PrometheusRules and the promtool expectations: the one
 * place monitoring applies them. Monitoring's own labels win on a clash (routing depends on them).
 */
export type ExtraLabels = (alert: string) => Record<string, string>;

export function extraLabels(model: Model): ExtraLabels {
  // Indexed on first use (every practice has contributed by emit time): a 300-service model
  // has over a thousand alerts, each looked up by every rule and test that names it.
  let byName: Map<string, Record<string, string>> | undefined;
  return (alert) => {
    if (!byName) {
      byName = new Map();
      for (const a of model.alerting?.alerts ?? []) if (!byName.has(a.name)) byName.set(a.name, a.labels ?? {});
    }
    return byName.get(alert) ?? {};
  };
}

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

export function withExtraLabels(groups: RuleGroup[], extra: ExtraLabels): RuleGroup[] {
  // No extra labels (no practice added any): the merge below would copy every rule unchanged.
  if (groups.every((g) => g.rules.every((r) => !('alert' in r) || isEmpty(extra(r.alert))))) return groups;
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => ('alert' in r ? ({ ...r, labels: { ...r.labels, ...extra(r.alert), ...r.labels } } satisfies AlertRule) : r)),
  }));
}

type UnitTests = { tests: { alert_rule_test?: { alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[] }[] };

/** The same labels in every alert a promtool test expects (promtool compares label sets exactly). */
export function testsWithExtraLabels<T extends Record<string, unknown>>(value: T, extra: ExtraLabels): T {
  const all = (value as unknown as UnitTests).tests;
  if (all.every((t) => (t.alert_rule_test ?? []).every((a) => isEmpty(extra(a.alertname))))) return value;
  const tests = all.map((t) => ({
    ...t,
    ...(t.alert_rule_test
      ? {
          alert_rule_test: t.alert_rule_test.map((a) => ({
            ...a,
            exp_alerts: a.exp_alerts.map((e) => ({ ...e, exp_labels: { ...e.exp_labels, ...extra(a.alertname), ...e.exp_labels } })),
          })),
        }
      : {}),
  }));
  return { ...value, tests };
}
