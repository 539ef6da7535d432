import { findSbom, listFindings, listSboms, type Database, type FindingPage, type SbomRow } from '@clearance/db';

/** The reads of stored SBOMs and their findings; writes are in sbom-service.ts. */
export const getSbom = (deps: { db: Database }, id: string): Promise<SbomRow | null> => findSbom(deps.db, id);

export const findSboms = (deps: { db: Database }, filter: Parameters<typeof listSboms>[1]): Promise<SbomRow[]> => listSboms(deps.db, filter);

export const findFindings = (deps: { db: Database }, query: Parameters<typeof listFindings>[1]): Promise<FindingPage> => listFindings(deps.db, query);
