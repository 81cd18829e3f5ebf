import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used (see ../shared/ENVIRONMENT.md): migrations are versioned
// SQL files applied by server/db/migrate.ts, so no datasource URL is needed here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
