import type { Template } from 'aws-cdk-lib/assertions';

type Resource = { Type: string; Properties?: Record<string, any> };

const resources = (template: Template): Record<string, Resource> => template.toJSON().Resources;

/**
 * The one logical ID of a construct: CDK names it after its construct path plus an 8-character hash,
 * e.g. `QueuesNotificationQueue1A2B3C4D` for `Queues/NotificationQueue`.
 */
export const logicalId = (template: Template, type: string, pathPrefix: string): string => {
  const pattern = new RegExp(`^${pathPrefix}[0-9A-F]{8}$`);
  const ids = Object.entries(resources(template))
    .filter(([id, r]) => r.Type === type && pattern.test(id))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} named ${pathPrefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0];
};

export const resource = (template: Template, id: string): Resource => {
  const found = resources(template)[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found;
};

export const ofType = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(resources(template)).filter(([, r]) => r.Type === type);

/** Rebuilds the path of an API Gateway resource from its PathPart/ParentId chain. */
export const apiPath = (template: Template, resourceId: unknown): string => {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (!ref) return '';
  const { Properties } = resource(template, ref);
  return `${apiPath(template, Properties!.ParentId)}/${Properties!.PathPart}`;
};

/** Every IAM action granted to a function's execution role. */
export const roleActions = (template: Template, functionId: string): string[] => {
  const roleRef = resource(template, functionId).Properties!.Role['Fn::GetAtt'][0];
  return ofType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties!.Roles.some((role: { Ref: string }) => role.Ref === roleRef))
    .flatMap(([, policy]) => policy.Properties!.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
};

/** The logical IDs a CloudFormation value refers to (`Ref` and `Fn::GetAtt`), at any depth. */
export const referencedIds = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string') return [record.Ref];
    if (Array.isArray(record['Fn::GetAtt'])) return [record['Fn::GetAtt'][0] as string];
    return Object.values(record).flatMap(referencedIds);
  }
  return [];
};

/**
 * The dashboard's JSON body as one string. CDK writes it as an `Fn::Join` of literal pieces and
 * references; each reference is rendered as the logical ID it points at.
 */
export const dashboardBody = (template: Template): string => {
  const dashboards = ofType(template, 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body = dashboards[0][1].Properties!.DashboardBody;
  if (typeof body === 'string') return body;
  return (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : referencedIds(part).join(',') || '<token>')).join('');
};
