/** `LinkCreated` → `LINK_CREATED`. */
export function envName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
