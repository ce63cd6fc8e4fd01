// Generated from /openapi.json by test/client/typescript-from-openapi.ts; `npm run generate:client` renews it, and a test fails while it is stale.
import { AdhocracyError } from './errors.ts';

/** Every schema of the document: sheets and resource types by their ids (`<type>.create`, `<type>.edit` for the bodies of POST and PUT), and the answers of the views. */
export interface Schemas {
  "ErrorDetail": {
    location: "body" | "querystring" | "header" | "url" | "internal";
    /** The dotted path of what is wrong: data.<sheet id>.<field>, a header or parameter name */
    name: string;
    /** For people; may change */
    description: string;
    /** Stable, for programs */
    code?: "invalid" | "invalid_value" | "invalid_parameter" | "unknown_parameter" | "not_indexed" | "too_expensive" | "required" | "empty" | "not_an_object" | "not_a_list" | "unknown_member" | "unknown_sheet" | "unknown_field" | "unknown_content_type" | "not_addable" | "read_only" | "not_editable" | "immutable_version" | "no_fork" | "no_merge" | "reserved_name" | "name_taken" | "not_unique" | "not_the_caller" | "invalid_reference" | "malformed_json" | "invalid_utf8" | "invalid_unicode" | "duplicate_key" | "forbidden_key" | "too_deep" | "malformed_request" | "unsupported_media_type" | "unsupported_charset" | "unsupported_encoding" | "incomplete_body" | "too_large" | "headers_too_large" | "timeout" | "bad_request" | "invalid_token" | "not_logged_in" | "wrong_credentials" | "not_activated" | "password_required" | "wrong_password" | "too_many_attempts" | "too_many_requests" | "invalid_path" | "unknown_path" | "not_in_batch" | "forbidden" | "invalid_service_key" | "service_key_from_browser" | "ambiguous_caller" | "no_password" | "too_many_connections" | "not_found" | "method_not_allowed" | "conflict" | "busy" | "storage_unavailable" | "hidden" | "deleted" | "internal";
  };
  "ErrorEnvelope": {
    status: "error";
    errors: Schemas["ErrorDetail"][];
    /** Why a 410 answers: the resource, or one above it, is hidden or deleted */
    reason?: "hidden" | "deleted";
    modified_by?: string | null;
    modification_date?: string | null;
  };
  "TokenAnswer": {
    status: "success";
    user_path: string;
    user_token: string;
    idle_expires_at: string;
    expires_at: string;
  };
  "Success": {
    status: "success";
  };
  "LockoutSettings": {
    settings: {
      account_failures: number;
      address_failures: number;
      account_rate: number;
      lock_seconds: number;
      max_lock_seconds: number;
    };
    changed: Array<"account_failures" | "address_failures" | "account_rate" | "lock_seconds" | "max_lock_seconds">;
  };
  "UpdatedResources": {
    changed_descendants: string[];
    created: string[];
    modified: string[];
    removed: string[];
  };
  "ChangeAnswer": {
    content_type: string;
    path: string;
    first_version_path?: string;
    updated_resources: Schemas["UpdatedResources"];
  };
  "Resource": {
    content_type: string;
    path: string;
    data: {
      [key: string]: Record<string, unknown>;
    };
  };
  "BatchResponse": {
    code: number;
    body: Record<string, unknown>;
  };
  "MetaApi": {
    resources: {
      [key: string]: {
        sheets: string[];
        super_types: string[];
        element_types: string[];
        item_type?: string;
      };
    };
    sheets: {
      [key: string]: {
        fields: Array<{
          name: string;
          valuetype: string;
          readable: boolean;
          editable: boolean;
          creatable: boolean;
          create_mandatory: boolean;
          containertype?: string;
          targetsheet?: string;
        }>;
        super_types: string[];
      };
    };
    workflows: Record<string, unknown>;
  };
  "adhocracy_core.sheets.acl.IAcl": {
    acl?: {
      view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
      create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
      delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
    };
  };
  "adhocracy_ts.sheets.principal.IAliases": {
    aliases?: Array<{
      /** An alias type: email, handle, phone, facebook.id, google.id, apple.id, steam.id */
      type: string;
      value: string;
      public?: boolean;
      readonly created?: string;
    }>;
    /** The newest public value of each alias type */
    readonly latest?: {
      [key: string]: string;
    };
  };
  "adhocracy_core.sheets.comment.IComment": {
    /** The URL of a resource; requests may give its path instead */
    refers_to?: string | null;
    content?: string;
  };
  "adhocracy_core.sheets.comment.ICommentable": {
    readonly comments_count?: number;
    /** The URL of a resource; requests may give its path instead */
    readonly post_pool?: string | null;
  };
  "adhocracy_core.sheets.description.IDescription": {
    short_description?: string;
    description?: string;
  };
  "adhocracy_core.sheets.document.IDocument": {
    elements?: string[];
  };
  "adhocracy_core.sheets.principal.IGroup": {
    roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
  };
  "adhocracy_core.sheets.local_roles.ILocalRoles": {
    local_roles?: Array<{
      /** The URL or path of a user or group */
      principal: string;
      roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
    }>;
  };
  "adhocracy_core.sheets.metadata.IMetadata": {
    /** The URL of a resource; requests may give its path instead */
    readonly creator?: string | null;
    readonly creation_date?: string;
    readonly item_creation_date?: string;
    /** The URL of a resource; requests may give its path instead */
    readonly modified_by?: string | null;
    readonly modification_date?: string;
    hidden?: boolean;
    deleted?: boolean;
  };
  "adhocracy_core.sheets.name.IName": {
    name?: string;
  };
  "adhocracy_core.sheets.document.IParagraph": {
    text?: string;
    readonly documents?: string[];
  };
  "adhocracy_core.sheets.principal.IPasswordAuthentication": Record<string, never>;
  "adhocracy_core.sheets.principal.IPermissions": {
    roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
    groups?: string[];
  };
  "adhocracy_core.sheets.pool.IPool": {
    readonly elements?: Array<string | Schemas["Resource"]>;
    readonly count?: number;
    /** For each `aggregateby` asked for: how many elements have each value */
    readonly aggregateby?: {
      [key: string]: {
        [key: string]: number;
      };
    };
  };
  "adhocracy_core.sheets.rate.IRate": {
    /** The URL of a resource; requests may give its path instead */
    subject?: string | null;
    /** The URL of a resource; requests may give its path instead */
    object?: string | null;
    rate?: number;
  };
  "adhocracy_core.sheets.rate.IRateable": {
    /** The URL of a resource; requests may give its path instead */
    readonly post_pool?: string | null;
  };
  "adhocracy_core.sheets.tags.ITags": {
    /** The URL of a resource; requests may give its path instead */
    readonly FIRST?: string | null;
    /** The URL of a resource; requests may give its path instead */
    readonly LAST?: string | null;
  };
  "adhocracy_core.sheets.title.ITitle": {
    title?: string;
  };
  "adhocracy_core.sheets.principal.IUserBasic": {
    name?: string;
  };
  "adhocracy_core.sheets.principal.IUserExtended": {
    email?: string;
    /** An IANA time zone name, such as Europe/Berlin */
    tzname?: string;
  };
  "adhocracy_core.sheets.versions.IVersionable": {
    follows?: string[];
  };
  "adhocracy_core.sheets.versions.IVersions": {
    readonly elements?: string[];
    readonly count?: number;
  };
  "adhocracy_core.resources.root.IRootPool": {
    content_type: "adhocracy_core.resources.root.IRootPool";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.root.IRootPool.create": {
    content_type: "adhocracy_core.resources.root.IRootPool";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.root.IRootPool.edit": {
    content_type?: "adhocracy_core.resources.root.IRootPool";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.pool.IBasicPool": {
    content_type: "adhocracy_core.resources.pool.IBasicPool";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.description.IDescription"?: Schemas["adhocracy_core.sheets.description.IDescription"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.title.ITitle"?: Schemas["adhocracy_core.sheets.title.ITitle"];
    };
  };
  "adhocracy_core.resources.pool.IBasicPool.create": {
    content_type: "adhocracy_core.resources.pool.IBasicPool";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.description.IDescription"?: {
        short_description?: string;
        description?: string;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
      "adhocracy_core.sheets.title.ITitle"?: {
        title?: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.pool.IBasicPool.edit": {
    content_type?: "adhocracy_core.resources.pool.IBasicPool";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.description.IDescription"?: {
        short_description?: string;
        description?: string;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
      "adhocracy_core.sheets.title.ITitle"?: {
        title?: string;
      };
    };
  };
  "adhocracy_core.resources.principal.IPrincipalsService": {
    content_type: "adhocracy_core.resources.principal.IPrincipalsService";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.principal.IPrincipalsService.create": {
    content_type: "adhocracy_core.resources.principal.IPrincipalsService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.principal.IPrincipalsService.edit": {
    content_type?: "adhocracy_core.resources.principal.IPrincipalsService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.principal.IUsersService": {
    content_type: "adhocracy_core.resources.principal.IUsersService";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.principal.IUsersService.create": {
    content_type: "adhocracy_core.resources.principal.IUsersService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.principal.IUsersService.edit": {
    content_type?: "adhocracy_core.resources.principal.IUsersService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.principal.IGroupsService": {
    content_type: "adhocracy_core.resources.principal.IGroupsService";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.principal.IGroupsService.create": {
    content_type: "adhocracy_core.resources.principal.IGroupsService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.principal.IGroupsService.edit": {
    content_type?: "adhocracy_core.resources.principal.IGroupsService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.principal.IUser": {
    content_type: "adhocracy_core.resources.principal.IUser";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_ts.sheets.principal.IAliases"?: Schemas["adhocracy_ts.sheets.principal.IAliases"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.principal.IPasswordAuthentication"?: Schemas["adhocracy_core.sheets.principal.IPasswordAuthentication"];
      "adhocracy_core.sheets.principal.IPermissions"?: Schemas["adhocracy_core.sheets.principal.IPermissions"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.principal.IUserBasic"?: Schemas["adhocracy_core.sheets.principal.IUserBasic"];
      "adhocracy_core.sheets.principal.IUserExtended"?: Schemas["adhocracy_core.sheets.principal.IUserExtended"];
    };
  };
  "adhocracy_core.resources.principal.IUser.create": {
    content_type: "adhocracy_core.resources.principal.IUser";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_ts.sheets.principal.IAliases"?: {
        aliases?: Array<{
          /** An alias type: email, handle, phone, facebook.id, google.id, apple.id, steam.id */
          type: string;
          value: string;
          public?: boolean;
          readonly created?: string;
        }>;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.principal.IPasswordAuthentication": {
        password: string;
      };
      "adhocracy_core.sheets.principal.IPermissions"?: {
        roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        groups?: string[];
      };
      "adhocracy_core.sheets.principal.IUserBasic": {
        name: string;
      };
      "adhocracy_core.sheets.principal.IUserExtended": {
        email: string;
        /** An IANA time zone name, such as Europe/Berlin */
        tzname?: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.principal.IUser.edit": {
    content_type?: "adhocracy_core.resources.principal.IUser";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_ts.sheets.principal.IAliases"?: {
        aliases?: Array<{
          /** An alias type: email, handle, phone, facebook.id, google.id, apple.id, steam.id */
          type: string;
          value: string;
          public?: boolean;
          readonly created?: string;
        }>;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
      "adhocracy_core.sheets.principal.IPasswordAuthentication"?: {
        password?: string;
      };
      "adhocracy_core.sheets.principal.IPermissions"?: {
        roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        groups?: string[];
      };
      "adhocracy_core.sheets.principal.IUserBasic"?: {
        name?: string;
      };
      "adhocracy_core.sheets.principal.IUserExtended"?: {
        email?: string;
        /** An IANA time zone name, such as Europe/Berlin */
        tzname?: string;
      };
    };
  };
  "adhocracy_core.resources.principal.IGroup": {
    content_type: "adhocracy_core.resources.principal.IGroup";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.principal.IGroup"?: Schemas["adhocracy_core.sheets.principal.IGroup"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.name.IName"?: Schemas["adhocracy_core.sheets.name.IName"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.principal.IGroup.create": {
    content_type: "adhocracy_core.resources.principal.IGroup";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.principal.IGroup"?: {
        roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.name.IName": {
        name: string;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.principal.IGroup.edit": {
    content_type?: "adhocracy_core.resources.principal.IGroup";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.principal.IGroup"?: {
        roles?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.document.IDocument": {
    content_type: "adhocracy_core.resources.document.IDocument";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.tags.ITags"?: Schemas["adhocracy_core.sheets.tags.ITags"];
      "adhocracy_core.sheets.versions.IVersions"?: Schemas["adhocracy_core.sheets.versions.IVersions"];
    };
  };
  "adhocracy_core.resources.document.IDocument.create": {
    content_type: "adhocracy_core.resources.document.IDocument";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.document.IDocument.edit": {
    content_type?: "adhocracy_core.resources.document.IDocument";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.document.IDocumentVersion": {
    content_type: "adhocracy_core.resources.document.IDocumentVersion";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.comment.ICommentable"?: Schemas["adhocracy_core.sheets.comment.ICommentable"];
      "adhocracy_core.sheets.document.IDocument"?: Schemas["adhocracy_core.sheets.document.IDocument"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.rate.IRateable"?: Schemas["adhocracy_core.sheets.rate.IRateable"];
      "adhocracy_core.sheets.title.ITitle"?: Schemas["adhocracy_core.sheets.title.ITitle"];
      "adhocracy_core.sheets.versions.IVersionable"?: Schemas["adhocracy_core.sheets.versions.IVersionable"];
    };
  };
  "adhocracy_core.resources.document.IDocumentVersion.create": {
    content_type: "adhocracy_core.resources.document.IDocumentVersion";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.document.IDocument"?: {
        elements?: string[];
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.title.ITitle"?: {
        title?: string;
      };
      "adhocracy_core.sheets.versions.IVersionable"?: {
        follows?: string[];
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.document.IDocumentVersion.edit": {
    content_type?: "adhocracy_core.resources.document.IDocumentVersion";
    data: {
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.paragraph.IParagraph": {
    content_type: "adhocracy_core.resources.paragraph.IParagraph";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.tags.ITags"?: Schemas["adhocracy_core.sheets.tags.ITags"];
      "adhocracy_core.sheets.versions.IVersions"?: Schemas["adhocracy_core.sheets.versions.IVersions"];
    };
  };
  "adhocracy_core.resources.paragraph.IParagraph.create": {
    content_type: "adhocracy_core.resources.paragraph.IParagraph";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.paragraph.IParagraph.edit": {
    content_type?: "adhocracy_core.resources.paragraph.IParagraph";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.paragraph.IParagraphVersion": {
    content_type: "adhocracy_core.resources.paragraph.IParagraphVersion";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.comment.ICommentable"?: Schemas["adhocracy_core.sheets.comment.ICommentable"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.document.IParagraph"?: Schemas["adhocracy_core.sheets.document.IParagraph"];
      "adhocracy_core.sheets.versions.IVersionable"?: Schemas["adhocracy_core.sheets.versions.IVersionable"];
    };
  };
  "adhocracy_core.resources.paragraph.IParagraphVersion.create": {
    content_type: "adhocracy_core.resources.paragraph.IParagraphVersion";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.document.IParagraph"?: {
        text?: string;
      };
      "adhocracy_core.sheets.versions.IVersionable"?: {
        follows?: string[];
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.paragraph.IParagraphVersion.edit": {
    content_type?: "adhocracy_core.resources.paragraph.IParagraphVersion";
    data: {
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.comment.ICommentsService": {
    content_type: "adhocracy_core.resources.comment.ICommentsService";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.comment.ICommentsService.create": {
    content_type: "adhocracy_core.resources.comment.ICommentsService";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.comment.ICommentsService.edit": {
    content_type?: "adhocracy_core.resources.comment.ICommentsService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.comment.IComment": {
    content_type: "adhocracy_core.resources.comment.IComment";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.tags.ITags"?: Schemas["adhocracy_core.sheets.tags.ITags"];
      "adhocracy_core.sheets.versions.IVersions"?: Schemas["adhocracy_core.sheets.versions.IVersions"];
    };
  };
  "adhocracy_core.resources.comment.IComment.create": {
    content_type: "adhocracy_core.resources.comment.IComment";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.comment.IComment.edit": {
    content_type?: "adhocracy_core.resources.comment.IComment";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.comment.ICommentVersion": {
    content_type: "adhocracy_core.resources.comment.ICommentVersion";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.comment.IComment"?: Schemas["adhocracy_core.sheets.comment.IComment"];
      "adhocracy_core.sheets.comment.ICommentable"?: Schemas["adhocracy_core.sheets.comment.ICommentable"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.rate.IRateable"?: Schemas["adhocracy_core.sheets.rate.IRateable"];
      "adhocracy_core.sheets.versions.IVersionable"?: Schemas["adhocracy_core.sheets.versions.IVersionable"];
    };
  };
  "adhocracy_core.resources.comment.ICommentVersion.create": {
    content_type: "adhocracy_core.resources.comment.ICommentVersion";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.comment.IComment"?: {
        /** The URL of a resource; requests may give its path instead */
        refers_to?: string;
        content?: string;
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.versions.IVersionable"?: {
        follows?: string[];
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.comment.ICommentVersion.edit": {
    content_type?: "adhocracy_core.resources.comment.ICommentVersion";
    data: {
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.rate.IRatesService": {
    content_type: "adhocracy_core.resources.rate.IRatesService";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
    };
  };
  "adhocracy_core.resources.rate.IRatesService.create": {
    content_type: "adhocracy_core.resources.rate.IRatesService";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.rate.IRatesService.edit": {
    content_type?: "adhocracy_core.resources.rate.IRatesService";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.rate.IRate": {
    content_type: "adhocracy_core.resources.rate.IRate";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.pool.IPool"?: Schemas["adhocracy_core.sheets.pool.IPool"];
      "adhocracy_core.sheets.tags.ITags"?: Schemas["adhocracy_core.sheets.tags.ITags"];
      "adhocracy_core.sheets.versions.IVersions"?: Schemas["adhocracy_core.sheets.versions.IVersions"];
    };
  };
  "adhocracy_core.resources.rate.IRate.create": {
    content_type: "adhocracy_core.resources.rate.IRate";
    data?: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.rate.IRate.edit": {
    content_type?: "adhocracy_core.resources.rate.IRate";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
  "adhocracy_core.resources.rate.IRateVersion": {
    content_type: "adhocracy_core.resources.rate.IRateVersion";
    path: string;
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: Schemas["adhocracy_core.sheets.acl.IAcl"];
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: Schemas["adhocracy_core.sheets.local_roles.ILocalRoles"];
      "adhocracy_core.sheets.metadata.IMetadata"?: Schemas["adhocracy_core.sheets.metadata.IMetadata"];
      "adhocracy_core.sheets.rate.IRate"?: Schemas["adhocracy_core.sheets.rate.IRate"];
      "adhocracy_core.sheets.versions.IVersionable"?: Schemas["adhocracy_core.sheets.versions.IVersionable"];
    };
  };
  "adhocracy_core.resources.rate.IRateVersion.create": {
    content_type: "adhocracy_core.resources.rate.IRateVersion";
    data: {
      "adhocracy_core.sheets.acl.IAcl"?: {
        acl?: {
          view?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          create?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
          delete?: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin" | "everyone" | "authenticated" | "self">;
        };
      };
      "adhocracy_core.sheets.local_roles.ILocalRoles"?: {
        local_roles?: Array<{
          /** The URL or path of a user or group */
          principal: string;
          roles: Array<"reader" | "participant" | "contributor" | "creator" | "editor" | "moderator" | "admin">;
        }>;
      };
      "adhocracy_core.sheets.rate.IRate": {
        /** The URL of a resource; requests may give its path instead */
        subject: string;
        /** The URL of a resource; requests may give its path instead */
        object: string;
        rate: -1 | 0 | 1 | string;
      };
      "adhocracy_core.sheets.versions.IVersionable"?: {
        follows?: string[];
      };
    };
    /** Versions whose subtree the auto-updates of a new version stay in */
    root_versions?: string[];
  };
  "adhocracy_core.resources.rate.IRateVersion.edit": {
    content_type?: "adhocracy_core.resources.rate.IRateVersion";
    data: {
      "adhocracy_core.sheets.metadata.IMetadata"?: {
        hidden?: boolean;
        deleted?: boolean;
      };
    };
  };
}

/** The named views, by operation id: the body each takes and the answer of its 200. */
export interface Operations {
  /** GET / */
  getRoot: { request: undefined; response: Schemas["adhocracy_core.resources.root.IRootPool"] | Schemas["adhocracy_core.resources.pool.IBasicPool"] | Schemas["adhocracy_core.resources.principal.IPrincipalsService"] | Schemas["adhocracy_core.resources.principal.IUsersService"] | Schemas["adhocracy_core.resources.principal.IGroupsService"] | Schemas["adhocracy_core.resources.principal.IUser"] | Schemas["adhocracy_core.resources.principal.IGroup"] | Schemas["adhocracy_core.resources.document.IDocument"] | Schemas["adhocracy_core.resources.document.IDocumentVersion"] | Schemas["adhocracy_core.resources.paragraph.IParagraph"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion"] | Schemas["adhocracy_core.resources.comment.ICommentsService"] | Schemas["adhocracy_core.resources.comment.IComment"] | Schemas["adhocracy_core.resources.comment.ICommentVersion"] | Schemas["adhocracy_core.resources.rate.IRatesService"] | Schemas["adhocracy_core.resources.rate.IRate"] | Schemas["adhocracy_core.resources.rate.IRateVersion"] };
  /** HEAD / */
  headRoot: { request: undefined; response: undefined };
  /** OPTIONS / */
  optionsRoot: { request: undefined; response: {
      GET?: Record<string, unknown>;
      HEAD?: Record<string, unknown>;
      OPTIONS?: Record<string, unknown>;
      POST?: Record<string, unknown>;
      PUT?: Record<string, unknown>;
      DELETE?: Record<string, unknown>;
    } };
  /** POST / */
  postRoot: { request: Schemas["adhocracy_core.resources.pool.IBasicPool.create"] | Schemas["adhocracy_core.resources.principal.IUser.create"] | Schemas["adhocracy_core.resources.principal.IGroup.create"] | Schemas["adhocracy_core.resources.document.IDocument.create"] | Schemas["adhocracy_core.resources.document.IDocumentVersion.create"] | Schemas["adhocracy_core.resources.paragraph.IParagraph.create"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion.create"] | Schemas["adhocracy_core.resources.comment.IComment.create"] | Schemas["adhocracy_core.resources.comment.ICommentVersion.create"] | Schemas["adhocracy_core.resources.rate.IRate.create"] | Schemas["adhocracy_core.resources.rate.IRateVersion.create"]; response: Schemas["ChangeAnswer"] };
  /** PUT / */
  putRoot: { request: Schemas["adhocracy_core.resources.root.IRootPool.edit"] | Schemas["adhocracy_core.resources.pool.IBasicPool.edit"] | Schemas["adhocracy_core.resources.principal.IPrincipalsService.edit"] | Schemas["adhocracy_core.resources.principal.IUsersService.edit"] | Schemas["adhocracy_core.resources.principal.IGroupsService.edit"] | Schemas["adhocracy_core.resources.principal.IUser.edit"] | Schemas["adhocracy_core.resources.principal.IGroup.edit"] | Schemas["adhocracy_core.resources.document.IDocument.edit"] | Schemas["adhocracy_core.resources.document.IDocumentVersion.edit"] | Schemas["adhocracy_core.resources.paragraph.IParagraph.edit"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion.edit"] | Schemas["adhocracy_core.resources.comment.ICommentsService.edit"] | Schemas["adhocracy_core.resources.comment.IComment.edit"] | Schemas["adhocracy_core.resources.comment.ICommentVersion.edit"] | Schemas["adhocracy_core.resources.rate.IRatesService.edit"] | Schemas["adhocracy_core.resources.rate.IRate.edit"] | Schemas["adhocracy_core.resources.rate.IRateVersion.edit"]; response: Schemas["ChangeAnswer"] };
  /** DELETE / */
  deleteRoot: { request: undefined; response: Schemas["ChangeAnswer"] };
  /** GET /{path} */
  getResource: { request: undefined; response: Schemas["adhocracy_core.resources.root.IRootPool"] | Schemas["adhocracy_core.resources.pool.IBasicPool"] | Schemas["adhocracy_core.resources.principal.IPrincipalsService"] | Schemas["adhocracy_core.resources.principal.IUsersService"] | Schemas["adhocracy_core.resources.principal.IGroupsService"] | Schemas["adhocracy_core.resources.principal.IUser"] | Schemas["adhocracy_core.resources.principal.IGroup"] | Schemas["adhocracy_core.resources.document.IDocument"] | Schemas["adhocracy_core.resources.document.IDocumentVersion"] | Schemas["adhocracy_core.resources.paragraph.IParagraph"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion"] | Schemas["adhocracy_core.resources.comment.ICommentsService"] | Schemas["adhocracy_core.resources.comment.IComment"] | Schemas["adhocracy_core.resources.comment.ICommentVersion"] | Schemas["adhocracy_core.resources.rate.IRatesService"] | Schemas["adhocracy_core.resources.rate.IRate"] | Schemas["adhocracy_core.resources.rate.IRateVersion"] };
  /** HEAD /{path} */
  headResource: { request: undefined; response: undefined };
  /** OPTIONS /{path} */
  optionsResource: { request: undefined; response: {
      GET?: Record<string, unknown>;
      HEAD?: Record<string, unknown>;
      OPTIONS?: Record<string, unknown>;
      POST?: Record<string, unknown>;
      PUT?: Record<string, unknown>;
      DELETE?: Record<string, unknown>;
    } };
  /** POST /{path} */
  postResource: { request: Schemas["adhocracy_core.resources.pool.IBasicPool.create"] | Schemas["adhocracy_core.resources.principal.IUser.create"] | Schemas["adhocracy_core.resources.principal.IGroup.create"] | Schemas["adhocracy_core.resources.document.IDocument.create"] | Schemas["adhocracy_core.resources.document.IDocumentVersion.create"] | Schemas["adhocracy_core.resources.paragraph.IParagraph.create"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion.create"] | Schemas["adhocracy_core.resources.comment.IComment.create"] | Schemas["adhocracy_core.resources.comment.ICommentVersion.create"] | Schemas["adhocracy_core.resources.rate.IRate.create"] | Schemas["adhocracy_core.resources.rate.IRateVersion.create"]; response: Schemas["ChangeAnswer"] };
  /** PUT /{path} */
  putResource: { request: Schemas["adhocracy_core.resources.root.IRootPool.edit"] | Schemas["adhocracy_core.resources.pool.IBasicPool.edit"] | Schemas["adhocracy_core.resources.principal.IPrincipalsService.edit"] | Schemas["adhocracy_core.resources.principal.IUsersService.edit"] | Schemas["adhocracy_core.resources.principal.IGroupsService.edit"] | Schemas["adhocracy_core.resources.principal.IUser.edit"] | Schemas["adhocracy_core.resources.principal.IGroup.edit"] | Schemas["adhocracy_core.resources.document.IDocument.edit"] | Schemas["adhocracy_core.resources.document.IDocumentVersion.edit"] | Schemas["adhocracy_core.resources.paragraph.IParagraph.edit"] | Schemas["adhocracy_core.resources.paragraph.IParagraphVersion.edit"] | Schemas["adhocracy_core.resources.comment.ICommentsService.edit"] | Schemas["adhocracy_core.resources.comment.IComment.edit"] | Schemas["adhocracy_core.resources.comment.ICommentVersion.edit"] | Schemas["adhocracy_core.resources.rate.IRatesService.edit"] | Schemas["adhocracy_core.resources.rate.IRate.edit"] | Schemas["adhocracy_core.resources.rate.IRateVersion.edit"]; response: Schemas["ChangeAnswer"] };
  /** DELETE /{path} */
  deleteResource: { request: undefined; response: Schemas["ChangeAnswer"] };
  /** DELETE /principals/users/{user}/ */
  deleteUser: { request: undefined; response: Schemas["ChangeAnswer"] };
  /** GET /meta_api */
  getMetaApi: { request: undefined; response: Schemas["MetaApi"] };
  /** GET /openapi.json */
  getOpenapiJson: { request: undefined; response: Record<string, unknown> };
  /** POST /batch */
  postBatch: { request: Array<{
      method: "GET" | "POST" | "PUT";
      /** A URL, a path, or a preliminary path (@name) made earlier in the batch */
      path: string;
      body?: unknown;
      /** A preliminary path (@name) for what this request creates */
      result_path?: string;
      /** A preliminary path for the first version of the item it creates */
      result_first_version_path?: string;
    }>; response: {
      responses: Schemas["BatchResponse"][];
      updated_resources: Schemas["UpdatedResources"];
    } };
  /** POST /login_username */
  postLoginUsername: { request: {
      name: string;
      password: string;
    }; response: Schemas["TokenAnswer"] };
  /** POST /login_email */
  postLoginEmail: { request: {
      email: string;
      password: string;
    }; response: Schemas["TokenAnswer"] };
  /** POST /logout */
  postLogout: { request: Record<string, unknown>; response: Schemas["Success"] };
  /** GET /session */
  getSession: { request: undefined; response: {
      user_path: string;
      session: string;
      created: string;
      last_used: string;
      idle_expires_at: string;
      expires_at: string;
    } };
  /** POST /activate_account */
  postActivateAccount: { request: {
      /** The path of the link mailed to the user */
      path: string;
    }; response: Schemas["TokenAnswer"] };
  /** POST /create_password_reset */
  postCreatePasswordReset: { request: {
      email: string;
    }; response: Schemas["Success"] };
  /** POST /password_reset */
  postPasswordReset: { request: {
      /** The path of the link mailed to the user */
      path: string;
      password: string;
    }; response: Schemas["TokenAnswer"] };
  /** POST /confirm_email */
  postConfirmEmail: { request: {
      /** The path of the link mailed to the user */
      path: string;
    }; response: {
      status: "success";
      user_path: string;
    } };
  /** GET /principals/users/{user}/sessions */
  getSessionsOfUser: { request: undefined; response: {
      sessions: Array<{
        id: string;
        path: string;
        created: string;
        last_used: string;
        idle_expires_at: string;
        expires_at: string;
        client: string;
        current: boolean;
        /** The service that opened it */
        opened_by?: string;
      }>;
    } };
  /** DELETE /principals/users/{user}/sessions */
  deleteSessionsOfUser: { request: undefined; response: {
      status: "success";
      revoked: number;
    } };
  /** POST /principals/users/{user}/sessions */
  postSessionsOfUser: { request: Record<string, never>; response: {
      status: "success";
      user_path: string;
      user_token: string;
      idle_expires_at: string;
      expires_at: string;
      session: string;
    } };
  /** GET /principals/users/{user}/sessions/{session}/state */
  getSessionsStateOfUserBySession: { request: undefined; response: {
      /** Any JSON value; null when none is kept */
      state: unknown;
    } };
  /** PUT /principals/users/{user}/sessions/{session}/state */
  putSessionsStateOfUserBySession: { request: {
      state: unknown;
    }; response: Schemas["Success"] };
  /** DELETE /principals/users/{user}/sessions/{session}/ */
  deleteSessionsOfUserBySession: { request: undefined; response: {
      status: "success";
      revoked: number;
    } };
  /** POST /token_info */
  postTokenInfo: { request: {
      token: string;
    }; response: {
      active: true;
      user_path: string;
      session: string;
      expires_at: string;
      idle_expires_at: string;
      roles: string[];
      groups: string[];
    } | {
      active: false;
    } };
  /** GET /lockout_settings */
  getLockoutSettings: { request: undefined; response: Schemas["LockoutSettings"] };
  /** PUT /lockout_settings */
  putLockoutSettings: { request: {
      account_failures?: number | null;
      address_failures?: number | null;
      account_rate?: number | null;
      lock_seconds?: number | null;
      max_lock_seconds?: number | null;
    }; response: Schemas["LockoutSettings"] };
}

export const contentTypes = [
  "adhocracy_core.resources.root.IRootPool",
  "adhocracy_core.resources.pool.IBasicPool",
  "adhocracy_core.resources.principal.IPrincipalsService",
  "adhocracy_core.resources.principal.IUsersService",
  "adhocracy_core.resources.principal.IGroupsService",
  "adhocracy_core.resources.principal.IUser",
  "adhocracy_core.resources.principal.IGroup",
  "adhocracy_core.resources.document.IDocument",
  "adhocracy_core.resources.document.IDocumentVersion",
  "adhocracy_core.resources.paragraph.IParagraph",
  "adhocracy_core.resources.paragraph.IParagraphVersion",
  "adhocracy_core.resources.comment.ICommentsService",
  "adhocracy_core.resources.comment.IComment",
  "adhocracy_core.resources.comment.ICommentVersion",
  "adhocracy_core.resources.rate.IRatesService",
  "adhocracy_core.resources.rate.IRate",
  "adhocracy_core.resources.rate.IRateVersion"
] as const;

export type ContentType = (typeof contentTypes)[number];

export const sheetIds = [
  "adhocracy_core.sheets.acl.IAcl",
  "adhocracy_ts.sheets.principal.IAliases",
  "adhocracy_core.sheets.comment.IComment",
  "adhocracy_core.sheets.comment.ICommentable",
  "adhocracy_core.sheets.description.IDescription",
  "adhocracy_core.sheets.document.IDocument",
  "adhocracy_core.sheets.principal.IGroup",
  "adhocracy_core.sheets.local_roles.ILocalRoles",
  "adhocracy_core.sheets.metadata.IMetadata",
  "adhocracy_core.sheets.name.IName",
  "adhocracy_core.sheets.document.IParagraph",
  "adhocracy_core.sheets.principal.IPasswordAuthentication",
  "adhocracy_core.sheets.principal.IPermissions",
  "adhocracy_core.sheets.pool.IPool",
  "adhocracy_core.sheets.rate.IRate",
  "adhocracy_core.sheets.rate.IRateable",
  "adhocracy_core.sheets.tags.ITags",
  "adhocracy_core.sheets.title.ITitle",
  "adhocracy_core.sheets.principal.IUserBasic",
  "adhocracy_core.sheets.principal.IUserExtended",
  "adhocracy_core.sheets.versions.IVersionable",
  "adhocracy_core.sheets.versions.IVersions"
] as const;

export type SheetId = (typeof sheetIds)[number];

export type ErrorCode = Schemas["ErrorDetail"]["code"] & string;

/** A value is not valid (`invalid`) */
export class InvalidError extends AdhocracyError {
  override name = "InvalidError";
}

/** A value breaks a rule of its field (a password policy, a time zone) (`invalid_value`) */
export class InvalidValueError extends AdhocracyError {
  override name = "InvalidValueError";
}

/** A query parameter has a value it cannot take (`invalid_parameter`) */
export class InvalidParameterError extends AdhocracyError {
  override name = "InvalidParameterError";
}

/** A query parameter that this resource does not know (`unknown_parameter`) */
export class UnknownParameterError extends AdhocracyError {
  override name = "UnknownParameterError";
}

/** A query names a field that cannot be filtered, sorted on or aggregated (`not_indexed`) */
export class NotIndexedError extends AdhocracyError {
  override name = "NotIndexedError";
}

/** A query would read more stored resources than a request may (`too_expensive`) */
export class TooExpensiveError extends AdhocracyError {
  override name = "TooExpensiveError";
}

/** A mandatory member or field is missing (`required`) */
export class RequiredError extends AdhocracyError {
  override name = "RequiredError";
}

/** A value that must not be empty is empty (`empty`) */
export class EmptyError extends AdhocracyError {
  override name = "EmptyError";
}

/** The body, or a member of it, must be a JSON object (`not_an_object`) */
export class NotAnObjectError extends AdhocracyError {
  override name = "NotAnObjectError";
}

/** The body must be a JSON list (`not_a_list`) */
export class NotAListError extends AdhocracyError {
  override name = "NotAListError";
}

/** A member of the body that this view does not take (`unknown_member`) */
export class UnknownMemberError extends AdhocracyError {
  override name = "UnknownMemberError";
}

/** A sheet that the resource type does not have (`unknown_sheet`) */
export class UnknownSheetError extends AdhocracyError {
  override name = "UnknownSheetError";
}

/** A field that the sheet does not have (`unknown_field`) */
export class UnknownFieldError extends AdhocracyError {
  override name = "UnknownFieldError";
}

/** A content type that does not exist (`unknown_content_type`) */
export class UnknownContentTypeError extends AdhocracyError {
  override name = "UnknownContentTypeError";
}

/** The content type cannot be created in this pool (`not_addable`) */
export class NotAddableError extends AdhocracyError {
  override name = "NotAddableError";
}

/** A field that only the server sets (`read_only`) */
export class ReadOnlyError extends AdhocracyError {
  override name = "ReadOnlyError";
}

/** A field that cannot be changed after creation (`not_editable`) */
export class NotEditableError extends AdhocracyError {
  override name = "NotEditableError";
}

/** A version cannot be changed; post a new one (`immutable_version`) */
export class ImmutableVersionError extends AdhocracyError {
  override name = "ImmutableVersionError";
}

/** A new version must follow the last version (`no_fork`) */
export class NoForkError extends AdhocracyError {
  override name = "NoForkError";
}

/** A version can follow only one version (`no_merge`) */
export class NoMergeError extends AdhocracyError {
  override name = "NoMergeError";
}

/** The name is taken by a view (`reserved_name`) */
export class ReservedNameError extends AdhocracyError {
  override name = "ReservedNameError";
}

/** A child of this name exists already (`name_taken`) */
export class NameTakenError extends AdhocracyError {
  override name = "NameTakenError";
}

/** Another resource holds this value already (`not_unique`) */
export class NotUniqueError extends AdhocracyError {
  override name = "NotUniqueError";
}

/** The reference must name the caller (`not_the_caller`) */
export class NotTheCallerError extends AdhocracyError {
  override name = "NotTheCallerError";
}

/** A reference that is not the URL or path of a resource of the right kind (`invalid_reference`) */
export class InvalidReferenceError extends AdhocracyError {
  override name = "InvalidReferenceError";
}

/** The body is not JSON (`malformed_json`) */
export class MalformedJsonError extends AdhocracyError {
  override name = "MalformedJsonError";
}

/** The body is not valid UTF-8 (`invalid_utf8`) */
export class InvalidUtf8Error extends AdhocracyError {
  override name = "InvalidUtf8Error";
}

/** A string of the body holds a lone surrogate (`invalid_unicode`) */
export class InvalidUnicodeError extends AdhocracyError {
  override name = "InvalidUnicodeError";
}

/** An object of the body has a member twice (`duplicate_key`) */
export class DuplicateKeyError extends AdhocracyError {
  override name = "DuplicateKeyError";
}

/** An object of the body has a member name the server reserves (`forbidden_key`) */
export class ForbiddenKeyError extends AdhocracyError {
  override name = "ForbiddenKeyError";
}

/** The body nests deeper than the server takes (`too_deep`) */
export class TooDeepError extends AdhocracyError {
  override name = "TooDeepError";
}

/** The request is not valid HTTP/1.1 (`malformed_request`) */
export class MalformedRequestError extends AdhocracyError {
  override name = "MalformedRequestError";
}

/** The body is not application/json (`unsupported_media_type`) */
export class UnsupportedMediaTypeError extends AdhocracyError {
  override name = "UnsupportedMediaTypeError";
}

/** The body is in a character set other than UTF-8 (`unsupported_charset`) */
export class UnsupportedCharsetError extends AdhocracyError {
  override name = "UnsupportedCharsetError";
}

/** The body has a content encoding the server does not take (`unsupported_encoding`) */
export class UnsupportedEncodingError extends AdhocracyError {
  override name = "UnsupportedEncodingError";
}

/** The body ended before its declared length (`incomplete_body`) */
export class IncompleteBodyError extends AdhocracyError {
  override name = "IncompleteBodyError";
}

/** The body is larger than the server takes (`too_large`) */
export class TooLargeError extends AdhocracyError {
  override name = "TooLargeError";
}

/** The request line and headers are too large (`headers_too_large`) */
export class HeadersTooLargeError extends AdhocracyError {
  override name = "HeadersTooLargeError";
}

/** The request did not arrive in time (`timeout`) */
export class TimeoutError extends AdhocracyError {
  override name = "TimeoutError";
}

/** The request could not be read (`bad_request`) */
export class BadRequestError extends AdhocracyError {
  override name = "BadRequestError";
}

/** The X-User-Token is invalid, expired or revoked (`invalid_token`) */
export class InvalidTokenError extends AdhocracyError {
  override name = "InvalidTokenError";
}

/** The view needs an X-User-Token (`not_logged_in`) */
export class NotLoggedInError extends AdhocracyError {
  override name = "NotLoggedInError";
}

/** The user does not exist or the password is wrong (`wrong_credentials`) */
export class WrongCredentialsError extends AdhocracyError {
  override name = "WrongCredentialsError";
}

/** The account has not followed its activation link yet (`not_activated`) */
export class NotActivatedError extends AdhocracyError {
  override name = "NotActivatedError";
}

/** The change needs the current password in X-User-Password (`password_required`) */
export class PasswordRequiredError extends AdhocracyError {
  override name = "PasswordRequiredError";
}

/** The password in X-User-Password is wrong (`wrong_password`) */
export class WrongPasswordError extends AdhocracyError {
  override name = "WrongPasswordError";
}

/** Too many failed passwords; wait for Retry-After (`too_many_attempts`) */
export class TooManyAttemptsError extends AdhocracyError {
  override name = "TooManyAttemptsError";
}

/** Too many requests of this kind; wait for Retry-After (`too_many_requests`) */
export class TooManyRequestsError extends AdhocracyError {
  override name = "TooManyRequestsError";
}

/** A mailed link's path that does not have the form of its kind (`invalid_path`) */
export class InvalidPathError extends AdhocracyError {
  override name = "InvalidPathError";
}

/** A mailed link's path that is unknown, used or expired (`unknown_path`) */
export class UnknownPathError extends AdhocracyError {
  override name = "UnknownPathError";
}

/** A view that acts cannot be part of a batch (`not_in_batch`) */
export class NotInBatchError extends AdhocracyError {
  override name = "NotInBatchError";
}

/** The caller may not do this (`forbidden`) */
export class ForbiddenError extends AdhocracyError {
  override name = "ForbiddenError";
}

/** The X-Service-Key is not one of SERVICE_KEYS (`invalid_service_key`) */
export class InvalidServiceKeyError extends AdhocracyError {
  override name = "InvalidServiceKeyError";
}

/** An X-Service-Key came with an Origin header: service keys are not for browsers (`service_key_from_browser`) */
export class ServiceKeyFromBrowserError extends AdhocracyError {
  override name = "ServiceKeyFromBrowserError";
}

/** A request sent both an X-User-Token and an X-Service-Key (`ambiguous_caller`) */
export class AmbiguousCallerError extends AdhocracyError {
  override name = "AmbiguousCallerError";
}

/** The user has no password, so no session can be bound to one (`no_password`) */
export class NoPasswordError extends AdhocracyError {
  override name = "NoPasswordError";
}

/** Too many WebSocket connections from this address (`too_many_connections`) */
export class TooManyConnectionsError extends AdhocracyError {
  override name = "TooManyConnectionsError";
}

/** There is no such resource or view (`not_found`) */
export class NotFoundError extends AdhocracyError {
  override name = "NotFoundError";
}

/** The resource or view does not take this method (`method_not_allowed`) */
export class MethodNotAllowedError extends AdhocracyError {
  override name = "MethodNotAllowedError";
}

/** What the request read was changed meanwhile; nothing was stored (`conflict`) */
export class ConflictError extends AdhocracyError {
  override name = "ConflictError";
}

/** The server is busy; wait for Retry-After (`busy`) */
export class BusyError extends AdhocracyError {
  override name = "BusyError";
}

/** The database is not available; wait for Retry-After (`storage_unavailable`) */
export class StorageUnavailableError extends AdhocracyError {
  override name = "StorageUnavailableError";
}

/** The resource, or one above it, is hidden (410) (`hidden`) */
export class HiddenError extends AdhocracyError {
  override name = "HiddenError";
}

/** The resource, or one above it, is deleted (410) (`deleted`) */
export class DeletedError extends AdhocracyError {
  override name = "DeletedError";
}

/** An error of the server (`internal`) */
export class InternalError extends AdhocracyError {
  override name = "InternalError";
}

/** The class of the error of each code. */
export const errorClasses: Record<ErrorCode, typeof AdhocracyError> = {
  invalid: InvalidError,
  invalid_value: InvalidValueError,
  invalid_parameter: InvalidParameterError,
  unknown_parameter: UnknownParameterError,
  not_indexed: NotIndexedError,
  too_expensive: TooExpensiveError,
  required: RequiredError,
  empty: EmptyError,
  not_an_object: NotAnObjectError,
  not_a_list: NotAListError,
  unknown_member: UnknownMemberError,
  unknown_sheet: UnknownSheetError,
  unknown_field: UnknownFieldError,
  unknown_content_type: UnknownContentTypeError,
  not_addable: NotAddableError,
  read_only: ReadOnlyError,
  not_editable: NotEditableError,
  immutable_version: ImmutableVersionError,
  no_fork: NoForkError,
  no_merge: NoMergeError,
  reserved_name: ReservedNameError,
  name_taken: NameTakenError,
  not_unique: NotUniqueError,
  not_the_caller: NotTheCallerError,
  invalid_reference: InvalidReferenceError,
  malformed_json: MalformedJsonError,
  invalid_utf8: InvalidUtf8Error,
  invalid_unicode: InvalidUnicodeError,
  duplicate_key: DuplicateKeyError,
  forbidden_key: ForbiddenKeyError,
  too_deep: TooDeepError,
  malformed_request: MalformedRequestError,
  unsupported_media_type: UnsupportedMediaTypeError,
  unsupported_charset: UnsupportedCharsetError,
  unsupported_encoding: UnsupportedEncodingError,
  incomplete_body: IncompleteBodyError,
  too_large: TooLargeError,
  headers_too_large: HeadersTooLargeError,
  timeout: TimeoutError,
  bad_request: BadRequestError,
  invalid_token: InvalidTokenError,
  not_logged_in: NotLoggedInError,
  wrong_credentials: WrongCredentialsError,
  not_activated: NotActivatedError,
  password_required: PasswordRequiredError,
  wrong_password: WrongPasswordError,
  too_many_attempts: TooManyAttemptsError,
  too_many_requests: TooManyRequestsError,
  invalid_path: InvalidPathError,
  unknown_path: UnknownPathError,
  not_in_batch: NotInBatchError,
  forbidden: ForbiddenError,
  invalid_service_key: InvalidServiceKeyError,
  service_key_from_browser: ServiceKeyFromBrowserError,
  ambiguous_caller: AmbiguousCallerError,
  no_password: NoPasswordError,
  too_many_connections: TooManyConnectionsError,
  not_found: NotFoundError,
  method_not_allowed: MethodNotAllowedError,
  conflict: ConflictError,
  busy: BusyError,
  storage_unavailable: StorageUnavailableError,
  hidden: HiddenError,
  deleted: DeletedError,
  internal: InternalError,
};
