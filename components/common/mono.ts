/** Monospace for form fields: Evergreen's Textarea does not take the theme's `mono` font name the way Text does. */
export const MONO_STYLE = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } as const;
