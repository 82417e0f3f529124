// Guide pages (placeholder until the guide lands).
import type { FastifyInstance } from 'fastify';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';

export async function registerGuide(_app: FastifyInstance, _repo: KnowledgeRepository): Promise<void> {}
