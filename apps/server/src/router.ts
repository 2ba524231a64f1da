import { tokensRouter } from './features/tokens/router.ts';
import { hl7Router } from './integration/hl7/router.ts';
import { adminRouter } from './routers/admin.ts';
import { auditRouter } from './routers/audit.ts';
import { authRouter } from './routers/auth.ts';
import { recordsRouter } from './routers/corrections.ts';
import { complicationRouter, nursingRouter } from './routers/nursing.ts';
import { patientRouter } from './routers/patient.ts';
import {
  bleedingRiskRouter,
  diagnosisRouter,
  imagingRouter,
  interventionRouter,
} from './routers/physician.ts';
import { ratesRouter } from './routers/rates.ts';
import { romRouter } from './routers/rom.ts';
import { therapyRouter } from './routers/therapy.ts';
import { wardRouter } from './routers/ward.ts';
import { accessRouter } from './security/access-router.ts';
import { createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  ward: wardRouter,
  access: accessRouter,
  patient: patientRouter,
  rom: romRouter,
  rates: ratesRouter,
  admin: adminRouter,
  audit: auditRouter,
  therapy: therapyRouter,
  nursing: nursingRouter,
  complication: complicationRouter,
  imaging: imagingRouter,
  diagnosis: diagnosisRouter,
  intervention: interventionRouter,
  bleedingRisk: bleedingRiskRouter,
  hl7: hl7Router,
  tokens: tokensRouter,
  records: recordsRouter,
});

/** The API's type, imported (as a type only) by the web app. */
export type AppRouter = typeof appRouter;
