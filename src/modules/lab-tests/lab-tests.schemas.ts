// Wire shapes of the lab-test catalogue: Junction's ClientFacingLabTest, ClientFacingMarker, ClientFacingLab
// and LabTestResourcesResponse, and the operator's create body.
import { z } from 'zod';
import { Env, Labs, LabTestCollectionMethod, LabTestSampleType, LabTestStatus, Region } from '../../http/wire.js';

export const ClientFacingMarker = z
  .object({
    id: z.int(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    lab_id: z.int().nullable(),
    provider_id: z.string().nullable(),
    type: z.enum(['biomarker', 'panel']).nullable(),
    unit: z.string().nullable(),
    price: z.string().nullable(),
    aoe: z.null(),
    a_la_carte_enabled: z.boolean(),
    common_tat_days: z.int().nullable(),
    worst_case_tat_days: z.int().nullable(),
    is_orderable: z.boolean().nullable(),
  })
  .meta({ id: 'ClientFacingMarker' });

export const ClientFacingLab = z
  .object({
    id: z.int(),
    slug: z.string(),
    name: z.string(),
    first_line_address: z.string(),
    city: z.string(),
    zipcode: z.string(),
    collection_methods: z.array(LabTestCollectionMethod),
    sample_types: z.array(LabTestSampleType),
    logo_url: z.string().nullable(),
  })
  .meta({ id: 'ClientFacingLab' });

export const ClientFacingLabTest = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    sample_type: LabTestSampleType,
    method: LabTestCollectionMethod,
    price: z.number(),
    is_active: z.boolean(),
    status: LabTestStatus,
    fasting: z.boolean(),
    lab: ClientFacingLab.nullable(),
    markers: z.array(ClientFacingMarker).nullable(),
    is_delegated: z.boolean(),
    auto_generated: z.boolean(),
    has_collection_instructions: z.boolean().nullable(),
    common_tat_days: z.int().nullable(),
    worst_case_tat_days: z.int().nullable(),
  })
  .meta({ id: 'ClientFacingLabTest' });
export type ClientFacingLabTest = z.infer<typeof ClientFacingLabTest>;

export const LabTestResourcesResponse = z
  .object({ data: z.array(ClientFacingLabTest), next_cursor: z.string().nullable() })
  .meta({ id: 'LabTestResourcesResponse' });

export const CreateLabTestBody = z
  .object({
    env: Env,
    region: Region,
    lab: Labs,
    name: z.string().trim().min(1).max(200),
    method: LabTestCollectionMethod,
    sample_type: LabTestSampleType,
    price: z.number().min(0).max(100000).optional(),
    fasting: z.boolean().optional(),
    markers: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(200),
          slug: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .regex(/^[a-z0-9][a-z0-9_-]*$/),
          provider_id: z.string().max(100).nullish(),
          unit: z.string().max(50).nullish(),
        }),
      )
      .min(1)
      .max(200),
  })
  .meta({ id: 'LabrouteCreateLabTestBody' });
export type CreateLabTestBody = z.infer<typeof CreateLabTestBody>;
