// The bounds of crates/func_interfaces/src/limits.rs and the registry's metadata.rs, for the
// client's checks before sending (client/test/validate.test.js and rules.test.js compare them
// with the Rust files).
export const BOUNDS = Object.freeze({
  MAX_PROVIDER_ID_LEN: 64,
  MAX_METADATA_LEN: 1024,
  MAX_MODEL_NAME_LEN: 64,
  MAX_BATCH_SIZE: 16,
  MAX_JAIL_EPOCHS: 100_000,
  MAX_BOOST_EPOCHS: 28,
  MAX_DEPTH: 16,
  MAX_NUMBER_EXPONENT: 307,
  MAX_HOST_LEN: 253,
  MAX_LABEL_LEN: 63,
  /** ink!'s static buffer: a larger call input traps before the contract can answer. */
  INK_BUFFER: 16 * 1024,
});

