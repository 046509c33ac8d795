/** A response's id and the model that answered, for traces (absent parts left out). */
export interface ResponseIdentity {
  responseId?: string;
  responseModel?: string;
}

/** The identity of a response from its provider's id and model fields. */
export function responseIdentity(id: unknown, model: unknown): ResponseIdentity {
  return {
    ...(typeof id === 'string' && id ? { responseId: id } : {}),
    ...(typeof model === 'string' && model ? { responseModel: model } : {}),
  };
}
