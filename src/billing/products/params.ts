import { type Infer, listParams, p, searchParams } from '../../core/params.ts';
import { defaultPriceData } from '../prices/params.ts';

const dimensions = p.object({
  height: p.required(p.decimal({ min: 0 })),
  length: p.required(p.decimal({ min: 0 })),
  weight: p.required(p.decimal({ min: 0 })),
  width: p.required(p.decimal({ min: 0 })),
});
const features = p.array(p.object({ name: p.required(p.string({ max: 80 })) }), { max: 15 });
const images = p.array(p.string({ max: 2048 }), { max: 8 });
const taxDetails = p.object({ performance_location: p.string(), tax_code: p.clearable(p.string()) });
const descriptor = p.string({
  max: 22,
  pattern: /^[^<>\\'"*]*[A-Za-z][^<>\\'"*]*$/,
  invalid: 'statement_descriptor_invalid',
});

export const createProductParams = p.object({
  name: p.required(p.string({ max: 250 })),
  active: p.boolean(),
  default_price_data: defaultPriceData,
  description: p.string({ max: 40000 }),
  expand: p.array(p.string()),
  id: p.string({
    max: 250,
    pattern: /^[A-Za-z0-9_-]+$/,
    invalid: 'object_id_invalid',
  }),
  images,
  marketing_features: features,
  metadata: p.metadata(),
  package_dimensions: dimensions,
  shippable: p.boolean(),
  statement_descriptor: descriptor,
  tax_code: p.string(),
  tax_details: taxDetails,
  type: p.enumOf(['good', 'service']),
  unit_label: p.string({ max: 12 }),
  url: p.string({ max: 5000 }),
});

export const updateProductParams = p.object({
  active: p.boolean(),
  default_price: p.string(),
  description: p.clearable(p.string({ max: 40000 })),
  expand: p.array(p.string()),
  images: p.clearable(images),
  marketing_features: p.clearable(features),
  metadata: p.metadata(),
  name: p.string({ max: 250 }),
  package_dimensions: p.clearable(dimensions),
  shippable: p.boolean(),
  statement_descriptor: descriptor,
  tax_code: p.clearable(p.string()),
  tax_details: p.clearable(taxDetails),
  unit_label: p.clearable(p.string({ max: 12 })),
  url: p.clearable(p.string({ max: 5000 })),
});

export const listProductParams = listParams({
  active: p.boolean(),
  ids: p.array(p.string(), { max: 100 }),
  shippable: p.boolean(),
  type: p.enumOf(['good', 'service']),
  url: p.string({ max: 5000 }),
});

export const searchProductParams = searchParams();

export type CreateProductParams = Infer<typeof createProductParams>;
export type UpdateProductParams = Infer<typeof updateProductParams>;
export type ListProductParams = Infer<typeof listProductParams>;
export type SearchProductParams = Infer<typeof searchProductParams>;
