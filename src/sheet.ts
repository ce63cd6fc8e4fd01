// defineSheet() and the field and permission types: the only part of src/ that files in sheets/ import.
export {
  IsBoolean,
  IsDefined,
  IsEmail,
  isEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsArray,
  ArrayMaxSize,
  ArrayUnique,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotContains,
  ValidateBy,
} from 'class-validator';

/** The roles an admin can give, globally (IPermissions, groups) or locally on a part of the tree. */
export const assignableRoles = ['reader', 'participant', 'contributor', 'creator', 'editor', 'moderator', 'admin'] as const;
export type AssignableRole = (typeof assignableRoles)[number];

/**
 * Who a permission is granted to: an assignable role, or one every caller holds implicitly: `everyone`,
 * `authenticated` when logged in, `self` on one's own user resource. `creator` is also held implicitly
 * by whoever created a resource, on it and below it. `service` is held by another backend that sends a
 * key from SERVICE_KEYS (and by nobody else): a sheet gives it read access to what backends must see
 * of every user, such as the private sheets; it is never `authenticated`, since it is no user.
 */
export type Role = AssignableRole | 'everyone' | 'authenticated' | 'self' | 'service';

/** The ranked roles from `role` up: moderators can do what editors can, and so on. */
export function rolesFrom(role: 'reader' | 'participant' | 'contributor' | 'editor' | 'moderator' | 'admin'): Role[] {
  const ranked: Role[] = ['reader', 'participant', 'contributor', 'editor', 'moderator', 'admin'];
  return ranked.slice(ranked.indexOf(role));
}

/** The value types of Adhocracy 3, as /meta_api names them. */
export type ValueType =
  | 'adhocracy_core.schema.ACM'
  | 'adhocracy_core.schema.Boolean'
  | 'adhocracy_core.schema.DateTime'
  | 'adhocracy_core.schema.Email'
  | 'adhocracy_core.schema.Integer'
  | 'adhocracy_core.schema.LocalRole'
  | 'adhocracy_core.schema.Name'
  | 'adhocracy_core.schema.Password'
  | 'adhocracy_core.schema.PostPool'
  | 'adhocracy_core.schema.Reference'
  | 'adhocracy_core.schema.Role'
  | 'adhocracy_core.schema.SingleLine'
  | 'adhocracy_core.schema.Text'
  | 'adhocracy_core.schema.TimeZoneName'
  | 'adhocracy_ts.schema.Alias'
  | 'adhocracy_ts.schema.AliasMap';

/**
 * How a unique field's values are compared: the registry keeps one claim per normalized value and scope.
 * `skeleton` compares what values look like: the Unicode confusable skeleton (UTS #39) of the value's
 * case-folded NFKC form, so that `root`, `ROOT` and `root` written with Cyrillic о are one value.
 */
export type UniqueNormalization = 'exact' | 'lowercase' | 'skeleton';

export interface FieldDefinition {
  valuetype: ValueType;
  /** `list` for a field holding several values. */
  containertype?: 'list';
  /** For references: the sheet the referenced resource must have. */
  targetsheet?: string;
  /** Set by the server only (metadata, counters); never accepted in a request. */
  serverManaged?: boolean;
  /** May be given when the resource is created (default: true unless server-managed). */
  creatable?: boolean;
  /** May be changed later with PUT (default: true unless server-managed). */
  editable?: boolean;
  /** Must be given when the resource is created. */
  createMandatory?: boolean;
  /** Who may change this field, where that is narrower than the sheet's `edit` (hiding needs a moderator). */
  editBy?: readonly Role[];
  /** For a list of objects: the member of each that references a resource (as a URL or path). */
  referenceMember?: string;
  /**
   * Changing it needs the caller's current password. A password field (valuetype
   * `adhocracy_core.schema.Password`) always does, and is also hashed and never readable: see
   * src/auth/passwords.ts, the one module that knows the kind.
   */
  needsCurrentPassword?: boolean;
  /** Lower-cased before validation and storage. */
  lowercase?: boolean;
  /** Brings a valid value to the form it is stored in (after validation, before storage). */
  canonical?: (value: unknown) => unknown;
  /**
   * A change takes effect only once confirmed through a link mailed to the new value (an email address):
   * until then the new value is held for the resource, and the old one stays (src/model/pending-changes.ts).
   */
  confirmedByMail?: boolean;
  /** Filterable and sortable in pool queries, through an index of the store. */
  indexed?: boolean;
  /**
   * The bare name pool queries know an indexed field by: Adhocracy 3's catalog index name (`title`,
   * `creator`), which wins where two sheets have a field of the same name.
   */
  indexName?: string;
  /** Values are unique among all resources with this sheet: see UniqueDefinition. */
  unique?: UniqueDefinition;
  /**
   * For a list of objects: the items whose member `flag` is not `true` are private, read only by
   * `readBy`; every other reader of the sheet gets the list without them.
   */
  privateItems?: { flag: string; readBy: readonly Role[] };
  /**
   * For a list of objects: the server sets each item's `member` to the time it was added, and keeps it
   * while an item of the same `keyOf` stays in the list; clients never send it.
   */
  stampItems?: { member: string; keyOf: (item: Record<string, unknown>) => string };
  /** A reference that must name the caller itself (the subject of a rate). */
  mustBeCaller?: boolean;
  /**
   * For references from versions to versions: when the version referred to gets a new version, the
   * referring version gets one too, referring to the new one (Adhocracy's auto-update).
   */
  followsNewVersions?: boolean;
  /** Worked out when read, never stored nor accepted: see ComputedField. */
  computed?: ComputedField;
  /** Value when the field was not given at creation. */
  default?: unknown;
}

/**
 * A field whose value is worked out when it is read: the resources that refer to this one by a field
 * (`<sheet id>:<field>`), how many items do, the nearest service pool of a name above this resource
 * (where comments or rates about it are posted), or, from a list of objects in the same sheet, the
 * newest (by `time`) `value` of each `by` among the items whose `flag` is `true`.
 */
export type ComputedField =
  | { kind: 'backreferences'; key: string }
  | { kind: 'backreference-count'; key: string }
  | { kind: 'post-pool'; service: string }
  | { kind: 'latest-items'; from: string; flag: string; by: string; value: string; time: string };

/**
 * Values are unique among all resources with this sheet, compared after `normalize`. `with` names
 * another field of the sheet whose value is part of what must be unique (one rate per subject and
 * object); `heldBy: 'item'` makes the item hold it, so that its next versions keep it.
 */
export interface UniqueDefinition {
  scope: string;
  normalize: UniqueNormalization;
  description: string;
  with?: string;
  heldBy?: 'item';
  /**
   * For a list: each item is a value of its own, compared by the key this gives it (the sheet's own
   * normalization); undefined for an item that holds none. The field's error then names the item.
   */
  itemKey?: (item: unknown) => string | undefined;
  /**
   * Never given back: once a resource held a value, nobody else may ever take it, even after it was
   * removed from the resource or the resource deleted.
   */
  reserved?: boolean;
  /**
   * A query parameter of the pools holding such resources that finds the one holding a value:
   * `parse` reads the parameter's text into an item (for itemKey), or says what is wrong with it.
   */
  lookup?: { parameter: string; parse: (text: string) => { item: unknown } | { error: string } };
}

/** IMetadata: who made and changed a resource and when, and whether it is hidden or deleted. */
export const metadataSheetId = 'adhocracy_core.sheets.metadata.IMetadata';

/** The value type of the password kind of field: hashed on write, never readable, changed only with the current password. */
export const passwordValueType = 'adhocracy_core.schema.Password';

export const isPasswordField = (field: Pick<FieldDefinition, 'valuetype'>): boolean => field.valuetype === passwordValueType;

export interface SheetPermissions {
  /** Who may read the sheet. */
  read: readonly Role[];
  /** Who may change its editable fields with PUT. */
  edit: readonly Role[];
  /** Who may set its creatable fields when creating a resource (default: whoever may create it). */
  create?: readonly Role[];
}

/** A class whose properties carry class-validator decorators. */
export type SchemaClass = new () => object;

export interface SheetDefinition {
  /** The wire id, e.g. `adhocracy_core.sheets.principal.IUserBasic`. */
  id: string;
  /** The class-validator schema of the fields a client may send. */
  schema: SchemaClass;
  fields: Readonly<Record<string, FieldDefinition>>;
  /** Resource type ids or interface ids (`adhocracy_core.interfaces.IPool`, ...) this sheet is part of. */
  resourceTypes: readonly string[];
  permissions: SheetPermissions;
  /** Interfaces this sheet extends, for /meta_api. */
  superTypes?: readonly string[];
  /**
   * The data is computed at read time and never stored: `children` from the pool's children (IPool),
   * `versions` from an item's versions (IVersions).
   */
  computedFrom?: 'children' | 'versions';
}

export type Sheet = Readonly<SheetDefinition> & { readonly kind: 'sheet' };

const identifierPattern = /^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Declares a sheet; the registry loads every default export of sheets/ and checks them together. */
export function defineSheet(definition: SheetDefinition): Sheet {
  if (!identifierPattern.test(definition.id)) {
    throw new Error(`sheet id ${JSON.stringify(definition.id)} is not a dotted identifier`);
  }
  return Object.freeze({ ...definition, kind: 'sheet' as const });
}
