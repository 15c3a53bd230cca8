import { boundedId } from '@tracewatch/schema';
import { z } from 'zod';

/**
 * ops: operations teams (alerts, pipeline health); inspector: inspection bodies, every query
 * audited; owner: a platform owner, bound to their platform ids; admin: everything, reads the
 * audit log.
 */
export const ROLES = ['ops', 'inspector', 'owner', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** What a route needs; the one table of who may do what. */
export const PERMISSIONS = {
  'self.read': ['ops', 'inspector', 'owner', 'admin'],
  'inspect.read': ['inspector', 'owner', 'admin'],
  'platforms.read': ['ops', 'inspector', 'owner', 'admin'],
  'evaluations.read': ['ops', 'inspector', 'owner', 'admin'],
  'evaluations.write': ['inspector', 'admin'],
  'audit.read': ['admin'],
  // Owners read alerts of their own platforms only (the scope); ops and admin act on them.
  'alerts.read': ['ops', 'inspector', 'owner', 'admin'],
  'alerts.write': ['ops', 'admin'],
  'silences.read': ['ops', 'inspector', 'admin'],
  'silences.write': ['ops', 'admin'],
  'recipients.read': ['admin'],
  'recipients.write': ['admin'],
  'notices.read': ['ops', 'inspector', 'owner', 'admin'],
  'notices.answer': ['owner'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function may(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** A new key's description, checked: an owner needs platforms, the others take none. */
export const keySpecSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema,
    platformIds: z.array(boundedId).max(100).default([]),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.role === 'owner' && k.platformIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['platformIds'], message: 'an owner key needs at least one --platform' });
    if (k.role !== 'owner' && k.platformIds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['platformIds'], message: 'only owner keys are bound to platforms' });
  });
export type KeySpec = z.infer<typeof keySpecSchema>;
