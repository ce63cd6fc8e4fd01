// GET /meta_api: every resource type and sheet, generated from the registry once.
import { isCreatable, isEditable, isReadable, type Registry } from '../registry.ts';
import { baseInterfaces } from '../resource-type.ts';
import type { View } from './view.ts';

export function describeRegistry(registry: Registry) {
  const resources = Object.fromEntries(
    [...registry.resourceTypes.values()].map((type) => [
      type.id,
      {
        sheets: registry.sheetsOf(type.id).map((sheet) => sheet.id),
        // As in Adhocracy 3: what a type or sheet extends, without the interface everything is.
        super_types: type.superTypes.filter((superType) => superType !== baseInterfaces.resource),
        element_types: type.elementTypes,
        ...(type.itemType ? { item_type: type.itemType } : {}),
      },
    ]),
  );
  const sheets = Object.fromEntries(
    [...registry.sheets.values()].map((sheet) => [
      sheet.id,
      {
        fields: Object.entries(sheet.fields).map(([name, field]) => ({
          name,
          valuetype: field.valuetype,
          readable: isReadable(field),
          editable: isEditable(field),
          creatable: isCreatable(field),
          create_mandatory: field.createMandatory === true,
          ...(field.containertype ? { containertype: field.containertype } : {}),
          ...(field.targetsheet ? { targetsheet: field.targetsheet } : {}),
        })),
        super_types: sheet.superTypes ?? [],
      },
    ]),
  );
  return { resources, sheets, workflows: {} };
}

const descriptions = new WeakMap<Registry, ReturnType<typeof describeRegistry>>();

/** The registry does not change while the app runs, so its description is built once. */
export const metaApi: View = async (_request, { registry }) => {
  let description = descriptions.get(registry);
  if (!description) {
    description = describeRegistry(registry);
    descriptions.set(registry, description);
  }
  return { body: description };
};
