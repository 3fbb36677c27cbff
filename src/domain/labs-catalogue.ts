// The labs Labroute knows (Junction's `Labs` enum), with the fixed integer ids, display names, addresses and
// capabilities that Junction's ClientFacingLab carries. Static data: labs are not created through the API.
import type { CollectionMethod, Lab, SampleType } from './enums.js';

export interface LabInfo {
  id: number;
  slug: Lab;
  name: string;
  first_line_address: string;
  city: string;
  zipcode: string;
  collection_methods: CollectionMethod[];
  sample_types: SampleType[];
}

const ALL_METHODS: CollectionMethod[] = ['walk_in_test', 'at_home_phlebotomy', 'on_site_collection', 'testkit'];

export const LAB_CATALOGUE: readonly LabInfo[] = [
  {
    id: 1,
    slug: 'ayumetrix',
    name: 'Ayumetrix',
    first_line_address: '2 Pearl St',
    city: 'Portsmouth',
    zipcode: '03801',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot'],
  },
  {
    id: 2,
    slug: 'spiriplex',
    name: 'Spiriplex',
    first_line_address: '3800 Lenox Rd',
    city: 'Atlanta',
    zipcode: '30326',
    collection_methods: ['testkit'],
    sample_types: ['saliva', 'urine'],
  },
  {
    id: 3,
    slug: 'ussl',
    name: 'US Specialty Labs',
    first_line_address: '1 Gateway Ctr',
    city: 'Newton',
    zipcode: '02458',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot', 'urine'],
  },
  {
    id: 4,
    slug: 'quest',
    name: 'Quest Diagnostics',
    first_line_address: '500 Plaza Dr',
    city: 'Secaucus',
    zipcode: '07094',
    collection_methods: ALL_METHODS,
    sample_types: ['serum', 'urine', 'stool'],
  },
  {
    id: 5,
    slug: 'sonora_quest',
    name: 'Sonora Quest Laboratories',
    first_line_address: '1255 W Washington St',
    city: 'Tempe',
    zipcode: '85281',
    collection_methods: ['walk_in_test', 'at_home_phlebotomy', 'on_site_collection'],
    sample_types: ['serum', 'urine'],
  },
  {
    id: 6,
    slug: 'labcorp',
    name: 'Labcorp',
    first_line_address: '531 S Spring St',
    city: 'Burlington',
    zipcode: '27215',
    collection_methods: ALL_METHODS,
    sample_types: ['serum', 'urine', 'stool'],
  },
  {
    id: 7,
    slug: 'bioreference',
    name: 'BioReference Health',
    first_line_address: '481 Edward H Ross Dr',
    city: 'Elmwood Park',
    zipcode: '07407',
    collection_methods: ['walk_in_test', 'at_home_phlebotomy', 'on_site_collection'],
    sample_types: ['serum', 'urine'],
  },
  {
    id: 8,
    slug: 'us_biotek',
    name: 'US BioTek Laboratories',
    first_line_address: '13500 Linden Ave N',
    city: 'Seattle',
    zipcode: '98133',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot', 'serum'],
  },
  {
    id: 9,
    slug: 'manual',
    name: 'Manual',
    first_line_address: '1 Main St',
    city: 'San Francisco',
    zipcode: '94105',
    collection_methods: ALL_METHODS,
    sample_types: ['serum', 'urine', 'saliva'],
  },
  {
    id: 10,
    slug: 'sanocardio',
    name: 'SanoCardio',
    first_line_address: '100 Science Park',
    city: 'Cambridge',
    zipcode: '02139',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot'],
  },
  {
    id: 11,
    slug: 'ihd',
    name: 'IHD',
    first_line_address: '200 Health Way',
    city: 'Austin',
    zipcode: '78701',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot'],
  },
  {
    id: 12,
    slug: 'nexus',
    name: 'Nexus',
    first_line_address: '300 Lab Ln',
    city: 'Denver',
    zipcode: '80202',
    collection_methods: ['testkit'],
    sample_types: ['urine', 'saliva'],
  },
  {
    id: 13,
    slug: 'my_uti',
    name: 'MyUTI',
    first_line_address: '400 Clinic Ave',
    city: 'Tampa',
    zipcode: '33602',
    collection_methods: ['testkit'],
    sample_types: ['urine'],
  },
  {
    id: 14,
    slug: 'crl',
    name: 'Clinical Reference Laboratory',
    first_line_address: '8433 Quivira Rd',
    city: 'Lenexa',
    zipcode: '66215',
    collection_methods: ['testkit', 'walk_in_test'],
    sample_types: ['dried_blood_spot', 'serum', 'urine'],
  },
  {
    id: 15,
    slug: 'mtl',
    name: 'MTL',
    first_line_address: '500 Test Blvd',
    city: 'Chicago',
    zipcode: '60601',
    collection_methods: ['testkit'],
    sample_types: ['dried_blood_spot'],
  },
];

const BY_SLUG = new Map(LAB_CATALOGUE.map((lab) => [lab.slug, lab]));

/** The catalogue entry of a lab slug (every `Labs` value has one). */
export function labBySlug(slug: string): LabInfo {
  const lab = BY_SLUG.get(slug as Lab);
  if (!lab) throw new Error(`unknown lab ${slug}`);
  return lab;
}
