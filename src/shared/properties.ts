/** The result shapes of the properties feature (S4); its methods are declared in features/properties.ts. */
export interface PropertyParamDto {
  name: string;
  type: 'number' | 'color' | 'choice';
  default: number | string;
  description: string;
  min?: number;
  max?: number;
  integer?: boolean;
  choices?: string[];
}

export interface PropertyKindDto {
  name: string;
  description: string;
  params: PropertyParamDto[];
}

export interface PropertyImageDto {
  index: number;
  label?: number;
  class: number;
  epgm: number;
  p: number;
  rho: number;
  flips: number;
}

export interface PropertyGroupDto {
  name: string;
  class: number;
  className: string;
  summary: { n: number; alpha: number; medianEpgm: number; shareSignificant: number; shareLarge: number; largeCutoff: number };
  images: PropertyImageDto[];
}

export interface PropertyAuditDto {
  properties: PropertyGroupDto[];
  steps: number;
  permutations: number;
  alpha: number;
  classNames: string[];
  seconds: number;
}

export interface PropertyCurveView {
  property: string;
  index: number;
  className: string;
  t: number[];
  y: number[];
  band: { lower: number[]; upper: number[] };
  epgm: number;
  p: number;
  rho: number;
  flips: number;
  significant: boolean;
}

