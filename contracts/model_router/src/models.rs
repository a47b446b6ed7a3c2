//! The model table: every model by id, the creation-order index used for pagination, and the
//! model count. Models are never removed (their pools hold stakes), so the index is dense:
//! positions `0..count`.
//!
//! Each part has its own storage key, so the table takes no byte of the contract's root cell.
//! The methods check their inputs and change nothing when they fail; the caller checks roles
//! and passes the current block, stamped into `updated_at_block`.
use crate::model::{self, Model};
use func_interfaces::{ensure, Balance, ModelContext, ModelId, RouterError};
use ink::{
    prelude::{string::String, vec::Vec},
    storage::{traits::ManualKey, Lazy, Mapping},
};

/// The router's models.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Models {
    /// "MCNT": number of models ever created; absent means 0.
    count: Lazy<u32, ManualKey<0x4d43_4e54>>,
    /// "MODL": model id → model.
    records: Mapping<ModelId, Model, ManualKey<0x4d4f_444c>>,
    /// "MIDX": creation position → model id, for pagination.
    ids: Mapping<u32, ModelId, ManualKey<0x4d49_4458>>,
}

impl Models {
    /// Number of models ever created (models are never removed).
    pub fn count(&self) -> u32 {
        self.count.get().unwrap_or(0)
    }

    /// Whether `model_id` exists.
    pub fn contains(&self, model_id: ModelId) -> bool {
        self.records.contains(model_id)
    }

    /// The model `model_id`, `None` for an unknown model.
    pub fn get(&self, model_id: ModelId) -> Option<Model> {
        self.records.get(model_id)
    }

    /// The model `model_id`.
    ///
    /// # Errors
    /// `ModelNotFound`.
    pub fn find(&self, model_id: ModelId) -> Result<Model, RouterError> {
        self.get(model_id).ok_or(RouterError::ModelNotFound)
    }

    /// Stake requirement, enabled flag and pool of `model_id`.
    ///
    /// # Errors
    /// `ModelNotFound`.
    pub fn context(&self, model_id: ModelId) -> Result<ModelContext, RouterError> {
        self.find(model_id).map(|model| model.context())
    }

    /// The model id at creation position `index`.
    pub fn id_at(&self, index: u32) -> Option<ModelId> {
        self.ids.get(index)
    }

    /// Checks that `model_id` can be added: it is new and the index has room.
    ///
    /// # Errors
    /// `ModelAlreadyExists` for a known id, and also once `u32::MAX` models exist: the index
    /// is full when a single id is left, and that last model is refused with the same error
    /// (`RouterError` has no capacity variant).
    pub fn ensure_new(&self, model_id: ModelId) -> Result<(), RouterError> {
        ensure!(!self.contains(model_id), RouterError::ModelAlreadyExists);
        ensure!(self.count() < u32::MAX, RouterError::ModelAlreadyExists);
        Ok(())
    }

    /// Stores a new model and appends its id to the index.
    ///
    /// # Errors
    /// `InvalidModelName`, `ZeroStakeAmount`, then those of [`Self::ensure_new`].
    pub fn add(&mut self, model_id: ModelId, model: &Model) -> Result<(), RouterError> {
        model::check_name(&model.name)?;
        model::check_stake_amount(model.stake_amount)?;
        self.ensure_new(model_id)?;
        let index = self.count();
        let count = index
            .checked_add(1)
            .ok_or(RouterError::ModelAlreadyExists)?;
        self.count.set(&count);
        self.ids.insert(index, &model_id);
        // The name is at most MAX_MODEL_NAME_LEN bytes, so the value is far below the static
        // buffer and `insert` cannot trap (see `model` tests).
        self.records.insert(model_id, model);
        Ok(())
    }

    /// Writes back a changed model, stamping `now` as its latest change.
    pub fn save(&mut self, model_id: ModelId, model: &mut Model, now: u32) {
        model.updated_at_block = now;
        self.records.insert(model_id, model);
    }

    /// Enables or disables `model_id`.
    ///
    /// # Errors
    /// `ModelNotFound`; `ModelAlreadyEnabled` or `ModelAlreadyDisabled` when the flag already
    /// has the asked value.
    pub fn set_enabled(
        &mut self,
        model_id: ModelId,
        enabled: bool,
        now: u32,
    ) -> Result<(), RouterError> {
        let mut model = self.find(model_id)?;
        let unchanged = if enabled {
            RouterError::ModelAlreadyEnabled
        } else {
            RouterError::ModelAlreadyDisabled
        };
        ensure!(model.enabled != enabled, unchanged);
        model.enabled = enabled;
        self.save(model_id, &mut model, now);
        Ok(())
    }

    /// Replaces the name, shards and compute units of `model_id`; returns the saved model.
    ///
    /// # Errors
    /// `InvalidModelName`, `ModelNotFound`.
    pub fn update(
        &mut self,
        model_id: ModelId,
        name: String,
        shards: u32,
        compute_units: u64,
        now: u32,
    ) -> Result<Model, RouterError> {
        model::check_name(&name)?;
        let mut model = self.find(model_id)?;
        model.name = name;
        model.shards = shards;
        model.compute_units = compute_units;
        self.save(model_id, &mut model, now);
        Ok(model)
    }

    /// Sets the stake requirement of `model_id`; returns the previous one.
    ///
    /// # Errors
    /// `ZeroStakeAmount`, `ModelNotFound`.
    pub fn set_stake_amount(
        &mut self,
        model_id: ModelId,
        stake_amount: Balance,
        now: u32,
    ) -> Result<Balance, RouterError> {
        model::check_stake_amount(stake_amount)?;
        let mut model = self.find(model_id)?;
        let previous = model.stake_amount;
        model.stake_amount = stake_amount;
        self.save(model_id, &mut model, now);
        Ok(previous)
    }

    /// Models in creation order, from position `start`, at most `min(limit, MAX_PAGE_SIZE)`
    /// of them. Empty once `start >= count()`.
    pub fn page(&self, start: u32, limit: u32) -> Vec<(ModelId, Model)> {
        // At most MAX_PAGE_SIZE iterations: `model::page` clamps the range.
        model::page(start, limit, self.count())
            .filter_map(|index| {
                let model_id = self.id_at(index)?;
                Some((model_id, self.get(model_id)?))
            })
            .collect()
    }

    /// Sets the count without adding models, to test the full index.
    #[cfg(test)]
    pub(crate) fn set_count(&mut self, count: u32) {
        self.count.set(&count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use func_interfaces::{limits::MAX_MODEL_NAME_LEN, limits::MAX_PAGE_SIZE, AccountId};
    use ink::prelude::{format, string::ToString, vec};

    fn pool_of(model_id: ModelId) -> AccountId {
        let mut bytes = [0xaa; 32];
        bytes[..4].copy_from_slice(&model_id.to_le_bytes());
        AccountId::from(bytes)
    }

    fn model(model_id: ModelId) -> Model {
        Model {
            name: format!("model-{model_id}"),
            shards: 4,
            compute_units: 1_000,
            stake_amount: 500,
            enabled: true,
            pool: pool_of(model_id),
            created_at_block: 1,
            updated_at_block: 1,
        }
    }

    /// A table holding `ids`, added in this order.
    fn models_with(ids: &[ModelId]) -> Models {
        let mut models = Models::default();
        for &id in ids {
            models.add(id, &model(id)).expect("add");
        }
        models
    }

    #[ink::test]
    fn default_is_empty() {
        let models = Models::default();
        assert_eq!(models.count(), 0);
        assert!(!models.contains(0));
        assert_eq!(models.get(0), None);
        assert_eq!(models.id_at(0), None);
        assert_eq!(models.find(0), Err(RouterError::ModelNotFound));
        assert_eq!(models.context(0), Err(RouterError::ModelNotFound));
        assert!(models.page(0, u32::MAX).is_empty());
    }

    #[ink::test]
    fn add_stores_the_model_and_appends_to_the_index() {
        let models = models_with(&[42, 3]);
        assert_eq!(models.count(), 2);
        assert_eq!(models.id_at(0), Some(42));
        assert_eq!(models.id_at(1), Some(3));
        assert_eq!(models.id_at(2), None);
        assert!(models.contains(42) && models.contains(3));
        assert_eq!(models.get(42), Some(model(42)));
        assert_eq!(models.find(3), Ok(model(3)));
        assert_eq!(models.context(3), Ok(model(3).context()));
    }

    #[ink::test]
    fn add_existing_id_fails_and_changes_nothing() {
        let mut models = models_with(&[7]);
        let other = Model {
            name: "other".to_string(),
            ..model(8)
        };
        assert_eq!(models.add(7, &other), Err(RouterError::ModelAlreadyExists));
        assert_eq!(models.get(7), Some(model(7)));
        assert_eq!(models.count(), 1);
        assert_eq!(models.id_at(1), None);
    }

    #[ink::test]
    fn add_invalid_model_fails_and_changes_nothing() {
        let mut models = Models::default();
        let unnamed = Model {
            name: String::new(),
            ..model(1)
        };
        let too_long = Model {
            name: "a".repeat(MAX_MODEL_NAME_LEN + 1),
            ..model(1)
        };
        let free = Model {
            stake_amount: 0,
            ..model(1)
        };
        assert_eq!(models.add(1, &unnamed), Err(RouterError::InvalidModelName));
        assert_eq!(models.add(1, &too_long), Err(RouterError::InvalidModelName));
        assert_eq!(models.add(1, &free), Err(RouterError::ZeroStakeAmount));
        assert!(!models.contains(1));
        assert_eq!(models.count(), 0);
    }

    #[ink::test]
    fn ensure_new_or_add_with_full_index_fails() {
        let mut models = Models::default();
        assert_eq!(models.ensure_new(1), Ok(()));
        models.set_count(u32::MAX);
        assert_eq!(models.ensure_new(1), Err(RouterError::ModelAlreadyExists));
        assert_eq!(
            models.add(1, &model(1)),
            Err(RouterError::ModelAlreadyExists)
        );
        assert!(!models.contains(1));
        assert_eq!(models.count(), u32::MAX);
    }

    #[ink::test]
    fn save_stamps_the_block_and_writes_back() {
        let mut models = models_with(&[7]);
        let mut changed = Model {
            shards: 9,
            ..model(7)
        };
        models.save(7, &mut changed, 5);
        assert_eq!(changed.updated_at_block, 5);
        assert_eq!(models.get(7), Some(changed));
        assert_eq!(models.count(), 1);
    }

    #[ink::test]
    fn set_enabled_toggles_and_stamps() {
        let mut models = models_with(&[7]);
        assert_eq!(models.set_enabled(7, false, 5), Ok(()));
        let disabled = Model {
            enabled: false,
            updated_at_block: 5,
            ..model(7)
        };
        assert_eq!(models.get(7), Some(disabled));
        assert_eq!(models.context(7).map(|c| c.enabled), Ok(false));
        assert_eq!(models.set_enabled(7, true, 6), Ok(()));
        let enabled = Model {
            updated_at_block: 6,
            ..model(7)
        };
        assert_eq!(models.get(7), Some(enabled));
    }

    #[ink::test]
    fn set_enabled_to_current_value_or_unknown_fails() {
        let mut models = models_with(&[7]);
        assert_eq!(
            models.set_enabled(7, true, 5),
            Err(RouterError::ModelAlreadyEnabled)
        );
        models.set_enabled(7, false, 5).expect("disable");
        assert_eq!(
            models.set_enabled(7, false, 6),
            Err(RouterError::ModelAlreadyDisabled)
        );
        assert_eq!(models.get(7).map(|m| m.updated_at_block), Some(5));
        assert_eq!(
            models.set_enabled(8, true, 6),
            Err(RouterError::ModelNotFound)
        );
        assert_eq!(
            models.set_enabled(8, false, 6),
            Err(RouterError::ModelNotFound)
        );
        assert!(!models.contains(8));
    }

    #[ink::test]
    fn update_replaces_name_shards_and_compute_units() {
        let mut models = models_with(&[7]);
        let expected = Model {
            name: "llama-2".to_string(),
            shards: 8,
            compute_units: 2_000,
            updated_at_block: 5,
            ..model(7)
        };
        assert_eq!(
            models.update(7, "llama-2".to_string(), 8, 2_000, 5),
            Ok(expected.clone())
        );
        assert_eq!(models.get(7), Some(expected));
    }

    #[ink::test]
    fn update_invalid_name_or_unknown_fails() {
        let mut models = models_with(&[7]);
        assert_eq!(
            models.update(7, String::new(), 8, 2_000, 5),
            Err(RouterError::InvalidModelName)
        );
        // The name is checked first, even for an unknown model.
        assert_eq!(
            models.update(8, String::new(), 8, 2_000, 5),
            Err(RouterError::InvalidModelName)
        );
        assert_eq!(
            models.update(8, "x".to_string(), 1, 1, 5),
            Err(RouterError::ModelNotFound)
        );
        assert_eq!(models.get(7), Some(model(7)));
        assert!(!models.contains(8));
    }

    #[ink::test]
    fn set_stake_amount_returns_the_previous_amount() {
        let mut models = models_with(&[7]);
        assert_eq!(models.set_stake_amount(7, 900, 5), Ok(500));
        let expected = Model {
            stake_amount: 900,
            updated_at_block: 5,
            ..model(7)
        };
        assert_eq!(models.get(7), Some(expected));
    }

    #[ink::test]
    fn set_stake_amount_zero_or_unknown_fails() {
        let mut models = models_with(&[7]);
        assert_eq!(
            models.set_stake_amount(7, 0, 5),
            Err(RouterError::ZeroStakeAmount)
        );
        assert_eq!(
            models.set_stake_amount(8, 0, 5),
            Err(RouterError::ZeroStakeAmount)
        );
        assert_eq!(
            models.set_stake_amount(8, 900, 5),
            Err(RouterError::ModelNotFound)
        );
        assert_eq!(models.get(7), Some(model(7)));
    }

    #[ink::test]
    fn page_follows_creation_order_and_clamps() {
        let ids: Vec<ModelId> = (0..MAX_PAGE_SIZE + 2).rev().collect();
        let models = models_with(&ids);
        let all: Vec<_> = ids.iter().map(|&id| (id, model(id))).collect();
        assert_eq!(models.page(0, 3), all[..3].to_vec());
        assert_eq!(models.page(1, 1), vec![all[1].clone()]);
        assert_eq!(
            models.page(0, u32::MAX),
            all[..MAX_PAGE_SIZE as usize].to_vec()
        );
        assert_eq!(
            models.page(MAX_PAGE_SIZE, u32::MAX),
            all[MAX_PAGE_SIZE as usize..].to_vec()
        );
        assert!(models.page(MAX_PAGE_SIZE + 2, 10).is_empty());
        assert!(models.page(0, 0).is_empty());
    }

    #[ink::test]
    fn table_takes_no_byte_of_the_enclosing_cell() {
        use ink::storage::traits::Storable;
        let models = models_with(&[7]);
        let mut cell = Vec::new();
        Storable::encode(&models, &mut cell);
        assert!(cell.is_empty());
    }
}
