import { rpc } from "@web/core/network/rpc";

/**
 * The co-pilot's JSON-RPC endpoints: the platform's ``/fusion/ai/*`` and the
 * approval cards of ``/fusion/chat/cards``.  The server owns every decision:
 * these wrappers only send what the user did.
 */
export const chatApi = {
    postMessage(sessionId, text, context, files = []) {
        return rpc("/fusion/ai/message", { text, session_id: sessionId || false, context, files });
    },
    readSession(sessionId) {
        return rpc("/fusion/ai/session", { session_id: sessionId });
    },
    cards(proposalIds) {
        return rpc("/fusion/chat/cards", { proposal_ids: proposalIds });
    },
    approve(proposalId, argumentsHash) {
        return rpc("/fusion/ai/approve", { proposal_id: proposalId, arguments_hash: argumentsHash });
    },
    reject(proposalId, reason) {
        return rpc("/fusion/ai/reject", { proposal_id: proposalId, reason });
    },
    decide(decisions) {
        return rpc("/fusion/ai/decide", { decisions });
    },
    status() {
        return rpc("/fusion/ai/status", {});
    },
    /** ``{query}`` searches the tool picker; ``{question}`` asks the offline router. */
    tools({ query = "", question = "", page = "" } = {}) {
        return rpc("/fusion/ai/tools", { query, question, page });
    },
};
