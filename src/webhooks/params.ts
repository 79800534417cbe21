import { type Infer, listParams, p } from '../core/params.ts';
import { ENABLED_EVENTS } from './event-types.ts';

const url = p.string({ max: 5000 });
const enabledEvents = p.array(p.enumOf(ENABLED_EVENTS, 'webhook_event_type_unknown'), { max: 300 });
const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export const createEndpointParams = p.object({
  url: p.required(url),
  enabled_events: p.required(enabledEvents),
  api_version: p.string({ max: 40, pattern: API_VERSION_PATTERN, invalid: 'webhook_api_version_invalid' }),
  connect: p.boolean(),
  description: p.clearable(p.string()),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const updateEndpointParams = p.object({
  url,
  enabled_events: enabledEvents,
  description: p.clearable(p.string()),
  disabled: p.boolean(),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const listEndpointParams = listParams({});

export type CreateEndpointParams = Infer<typeof createEndpointParams>;
export type UpdateEndpointParams = Infer<typeof updateEndpointParams>;
export type ListEndpointParams = Infer<typeof listEndpointParams>;
