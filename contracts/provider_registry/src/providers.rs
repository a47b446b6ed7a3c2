//! The provider table: every registered provider's record and metadata, the per-owner and
//! per-model indexes gateways and cluster operations read, and the live count.
//!
//! Both indexes are dense (positions `0..count`): registration appends, deregistration moves
//! the last id of the index into the freed position ([`Providers::remove`]), and every record
//! knows its position in each index (`owner_position`, `model_position`).
//!
//! Paged reads of an index (a model's ids and active providers, an owner's cluster pages) go
//! from the top down ([`page_below`]): an id only ever moves down (into a freed position), so
//! a run of pages offers every id that existed at its start and still exists at its end,
//! whatever is registered or removed between pages. (Going up, the last id moving into a freed
//! position behind the cursor would be skipped.) The id that moves may be offered twice.
//!
//! Each part has its own storage key, so the table takes no byte of the contract's root cell.
//! The methods check what they need and change nothing when they fail; the caller checks
//! roles, ownership and pause, and emits the events.
use crate::types::{ActiveProvider, ProviderIdsPage, ProviderRecord};
use core::ops::Range;
use func_interfaces::{
    ensure,
    limits::{MAX_PAGE_SIZE, MAX_PROVIDERS_PER_OWNER},
    AccountId, EpochId, ModelId, ProviderId, RegistryError,
};
use ink::{
    prelude::{string::String, vec::Vec},
    scale::{Encode, EncodeLike},
    storage::{
        traits::{ManualKey, StorageKey},
        Lazy, Mapping,
    },
};

/// Most id and metadata bytes one `get_active_providers` page returns, so that the encoded
/// page fits ink!'s 16 KiB output buffer (a page stops early when the next provider would
/// exceed it; `next_start` then points at that provider).
pub const MAX_ACTIVE_PAGE_BYTES: usize = 12 * 1024;
// The page adds at most 4 bytes of length prefixes per entry and a few of its own.
const _: () =
    assert!(MAX_ACTIVE_PAGE_BYTES + 4 * MAX_PAGE_SIZE as usize + 16 <= ink::env::BUFFER_SIZE);

/// The registry's providers.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Providers {
    /// "PCNT": ids registered now.
    count: Lazy<u32, ManualKey<0x5043_4e54>>,
    /// "PROV": id → record.
    records: Mapping<ProviderId, ProviderRecord, ManualKey<0x5052_4f56>>,
    /// "META": id → metadata JSON.
    metadata: Mapping<ProviderId, String, ManualKey<0x4d45_5441>>,
    /// "OIDX": (owner, position) → id; dense, `0..by_owner_count`.
    by_owner: Mapping<(AccountId, u32), ProviderId, ManualKey<0x4f49_4458>>,
    /// "OCNT": owner → number of ids in `by_owner`.
    by_owner_count: Mapping<AccountId, u32, ManualKey<0x4f43_4e54>>,
    /// "MIDX": (model, position) → id; dense, `0..by_model_count`.
    by_model: Mapping<(ModelId, u32), ProviderId, ManualKey<0x4d49_4458>>,
    /// "MCNT": model → number of ids in `by_model`.
    by_model_count: Mapping<ModelId, u32, ManualKey<0x4d43_4e54>>,
}

/// Proof that an id may be registered by an owner (see [`Providers::admit`]); carries the
/// owner's position for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    owner_position: u32,
}

impl Providers {
    // ------------------------------------------------------------------ lookup

    /// How many providers are registered now.
    pub fn count(&self) -> u32 {
        self.count.get().unwrap_or(0)
    }

    /// Whether `id` is registered.
    pub fn contains(&self, id: &ProviderId) -> bool {
        self.records.contains(id)
    }

    /// The record of `id`, `None` when it is not registered.
    pub fn get(&self, id: &ProviderId) -> Option<ProviderRecord> {
        self.records.get(id)
    }

    /// The record of `id`.
    ///
    /// # Errors
    /// `ProviderNotFound`.
    pub fn find(&self, id: &ProviderId) -> Result<ProviderRecord, RegistryError> {
        self.get(id).ok_or(RegistryError::ProviderNotFound)
    }

    /// The metadata of `id` (empty when it is not registered).
    pub fn metadata(&self, id: &ProviderId) -> String {
        self.metadata.get(id).unwrap_or_default()
    }

    /// Writes back a changed record of a registered `id`.
    pub fn save(&mut self, id: &ProviderId, record: &ProviderRecord) {
        self.records.insert(id, record);
    }

    /// Replaces the metadata of a registered `id` (validated by the caller, so that the value
    /// fits ink!'s buffer).
    pub fn set_metadata(&mut self, id: &ProviderId, metadata: &String) {
        self.metadata.insert(id, metadata);
    }

    // ------------------------------------------------------------------ indexes

    /// How many ids `owner` holds now.
    pub fn count_by_owner(&self, owner: AccountId) -> u32 {
        self.by_owner_count.get(owner).unwrap_or(0)
    }

    /// How many providers of `model_id` are registered now.
    pub fn count_by_model(&self, model_id: ModelId) -> u32 {
        self.by_model_count.get(model_id).unwrap_or(0)
    }

    /// The ids `owner` holds, in index order (at most `MAX_PROVIDERS_PER_OWNER`).
    pub fn ids_by_owner(&self, owner: AccountId) -> Vec<ProviderId> {
        let count = self.count_by_owner(owner).min(MAX_PROVIDERS_PER_OWNER);
        (0..count)
            .filter_map(|position| self.by_owner.get((owner, position)))
            .collect()
    }

    /// The id at `position` of `model_id`'s index.
    pub fn id_by_model(&self, model_id: ModelId, position: u32) -> Option<ProviderId> {
        self.by_model.get((model_id, position))
    }

    /// The positions of `model_id`'s index that the page at `cursor` covers (see
    /// [`page_below`]).
    pub fn model_page(&self, model_id: ModelId, cursor: u32, limit: u32) -> Range<u32> {
        page_below(cursor, self.count_by_model(model_id), limit)
    }

    /// The ids of `model_id`'s page at `cursor`, newest position first, and the next cursor.
    pub fn ids_by_model(&self, model_id: ModelId, cursor: u32, limit: u32) -> ProviderIdsPage {
        let range = self.model_page(model_id, cursor, limit);
        ProviderIdsPage {
            ids: range
                .clone()
                .rev()
                .filter_map(|position| self.id_by_model(model_id, position))
                .collect(),
            next_start: next_cursor(range.start),
        }
    }

    /// `model_id`'s whole index in position order (tests: at most `MAX_PAGE_SIZE` ids).
    #[cfg(test)]
    pub(crate) fn model_index(&self, model_id: ModelId) -> Vec<ProviderId> {
        let mut ids = self.ids_by_model(model_id, 0, MAX_PAGE_SIZE).ids;
        ids.reverse();
        ids
    }

    /// The providers at the positions of `range` of `model_id`'s index, newest first, that meet
    /// their own conditions for being active in `epoch` (`ProviderRecord::eligible_at`), with
    /// their positions. At most `range.len()` reads of each kind; the caller bounds the range.
    pub fn eligible_by_model(
        &self,
        model_id: ModelId,
        range: Range<u32>,
        epoch: EpochId,
    ) -> Vec<(u32, ProviderId, ProviderRecord)> {
        range
            .rev()
            .filter_map(|position| {
                let id = self.id_by_model(model_id, position)?;
                let record = self.get(&id)?;
                record.eligible_at(epoch).then_some((position, id, record))
            })
            .collect()
    }

    /// `providers` (ids with their positions, in order) with their metadata, until the next
    /// one would bring the page's id and metadata bytes over `MAX_ACTIVE_PAGE_BYTES`: the page,
    /// and the position of the first provider left out (`None` when all fit).
    pub fn with_metadata(
        &self,
        providers: impl IntoIterator<Item = (u32, ProviderId)>,
    ) -> (Vec<ActiveProvider>, Option<u32>) {
        let mut page = Vec::new();
        let mut page_bytes: usize = 0;
        for (position, id) in providers {
            let metadata = self.metadata(&id);
            // Bounded: ≤ MAX_PAGE_SIZE entries of ≤ 64 + 1024 bytes each.
            page_bytes = page_bytes
                .saturating_add(id.len())
                .saturating_add(metadata.len());
            if page_bytes > MAX_ACTIVE_PAGE_BYTES {
                return (page, Some(position));
            }
            page.push(ActiveProvider { id, metadata });
        }
        (page, None)
    }

    // ------------------------------------------------------------------ registration

    /// Checks that `owner` may register `id`: the id is free and the owner holds fewer than
    /// `MAX_PROVIDERS_PER_OWNER` ids.
    ///
    /// # Errors
    /// `ProviderAlreadyRegistered`, then `TooManyProviders`.
    pub fn admit(&self, id: &ProviderId, owner: AccountId) -> Result<Admission, RegistryError> {
        ensure!(!self.contains(id), RegistryError::ProviderAlreadyRegistered);
        let owned = self.count_by_owner(owner);
        ensure!(
            owned < MAX_PROVIDERS_PER_OWNER,
            RegistryError::TooManyProviders
        );
        Ok(Admission {
            owner_position: owned,
        })
    }

    /// Stores `record` and `metadata` under `id` and appends `id` to its owner's and its
    /// model's index; `record`'s positions are set here. Returns the stored record.
    ///
    /// # Errors
    /// `Overflow` when a count would pass `u32::MAX` (nothing is written then).
    pub fn add(
        &mut self,
        id: &ProviderId,
        admission: Admission,
        mut record: ProviderRecord,
        metadata: &String,
    ) -> Result<ProviderRecord, RegistryError> {
        let owned = admission.owner_position;
        let of_model = self.count_by_model(record.model_id);
        let count = self.count().checked_add(1).ok_or(RegistryError::Overflow)?;
        let owned_after = owned.checked_add(1).ok_or(RegistryError::Overflow)?;
        let of_model_after = of_model.checked_add(1).ok_or(RegistryError::Overflow)?;
        record.owner_position = owned;
        record.model_position = of_model;
        // Every value is size-checked by the caller, so each fits ink!'s 16 KiB buffer.
        self.records.insert(id, &record);
        self.metadata.insert(id, metadata);
        self.by_owner.insert((record.owner, owned), id);
        self.by_owner_count.insert(record.owner, &owned_after);
        self.by_model.insert((record.model_id, of_model), id);
        self.by_model_count.insert(record.model_id, &of_model_after);
        self.count.set(&count);
        Ok(record)
    }

    // ------------------------------------------------------------------ deregistration

    /// Removes `id` (whose stored record is `record`): its record, its metadata and its entry
    /// in both indexes, the last entry of each index moving into the freed position.
    ///
    /// # Errors
    /// `Overflow` when a count is already 0 (an inconsistent table; nothing is written then).
    pub fn remove(
        &mut self,
        id: &ProviderId,
        record: &ProviderRecord,
    ) -> Result<(), RegistryError> {
        let owned = self.count_by_owner(record.owner);
        let of_model = self.count_by_model(record.model_id);
        let (Some(last_owned), Some(last_of_model), Some(count)) = (
            owned.checked_sub(1),
            of_model.checked_sub(1),
            self.count().checked_sub(1),
        ) else {
            return Err(RegistryError::Overflow);
        };
        swap_remove(
            &mut self.by_owner,
            &mut self.by_owner_count,
            &mut self.records,
            record.owner,
            record.owner_position,
            last_owned,
            |moved| &mut moved.owner_position,
        );
        swap_remove(
            &mut self.by_model,
            &mut self.by_model_count,
            &mut self.records,
            record.model_id,
            record.model_position,
            last_of_model,
            |moved| &mut moved.model_position,
        );
        self.records.remove(id);
        self.metadata.remove(id);
        self.count.set(&count);
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn set_count(&mut self, count: u32) {
        self.count.set(&count);
    }
}

/// The positions a page of a dense index of length `len` covers, read from the top down:
/// `cursor` 0 starts a run at the top, any other value (the previous page's `next_start`)
/// continues below it; at most `limit` (capped at `MAX_PAGE_SIZE`) positions.
pub fn page_below(cursor: u32, len: u32, limit: u32) -> Range<u32> {
    let top = if cursor == 0 { len } else { cursor.min(len) };
    top.saturating_sub(limit.min(MAX_PAGE_SIZE))..top
}

/// The cursor of the page below a page whose lowest position is `bottom`: `None` at the end.
pub fn next_cursor(bottom: u32) -> Option<u32> {
    (bottom > 0).then_some(bottom)
}

/// Frees `position` of `key`'s dense index of length `last + 1`: the id at `last` moves into
/// `position` (its record's `position_of` follows) and the length becomes `last`. The same
/// rule for the owner index and the model index.
fn swap_remove<K, IndexKey, CountKey, RecordKey>(
    index: &mut Mapping<(K, u32), ProviderId, IndexKey>,
    counts: &mut Mapping<K, u32, CountKey>,
    records: &mut Mapping<ProviderId, ProviderRecord, RecordKey>,
    key: K,
    position: u32,
    last: u32,
    position_of: impl FnOnce(&mut ProviderRecord) -> &mut u32,
) where
    K: Encode + EncodeLike + Copy,
    IndexKey: StorageKey,
    CountKey: StorageKey,
    RecordKey: StorageKey,
{
    if let Some(moved) = index.get((key, last)) {
        if last != position {
            index.insert((key, position), &moved);
            if let Some(mut moved_record) = records.get(&moved) {
                *position_of(&mut moved_record) = position;
                records.insert(&moved, &moved_record);
            }
        }
    }
    index.remove((key, last));
    counts.insert(key, &last);
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // small test counters
mod tests {
    use super::*;
    use ink::prelude::{format, vec, vec::Vec};

    const MODEL: ModelId = 1;

    fn owner(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn id(name: &str) -> ProviderId {
        name.as_bytes().to_vec()
    }

    fn record(owner_n: u8, model_id: ModelId) -> ProviderRecord {
        ProviderRecord {
            owner: owner(owner_n),
            model_id,
            pool: AccountId::from([0x77; 32]),
            registered_at_block: 1,
            registered_epoch: 2,
            whitelisted: true,
            jailed_until: 0,
            deactivated: false,
            // Set by `add`.
            owner_position: 99,
            model_position: 99,
        }
    }

    fn add(providers: &mut Providers, name: &str, owner_n: u8, model_id: ModelId) {
        let admission = providers.admit(&id(name), owner(owner_n)).unwrap();
        providers
            .add(
                &id(name),
                admission,
                record(owner_n, model_id),
                &format!("m-{name}"),
            )
            .unwrap();
    }

    /// Every index entry names a record that knows its position, and the counts match.
    fn assert_consistent(providers: &Providers, owners: &[u8], models: &[ModelId]) {
        let mut total = 0;
        for &owner_n in owners {
            let ids = providers.ids_by_owner(owner(owner_n));
            assert_eq!(ids.len() as u32, providers.count_by_owner(owner(owner_n)));
            for (position, id) in ids.iter().enumerate() {
                let record = providers.get(id).unwrap();
                assert_eq!(record.owner, owner(owner_n));
                assert_eq!(record.owner_position, position as u32);
            }
            total += ids.len();
        }
        for &model_id in models {
            let ids = providers.model_index(model_id);
            assert_eq!(ids.len() as u32, providers.count_by_model(model_id));
            for (position, id) in ids.iter().enumerate() {
                let record = providers.get(id).unwrap();
                assert_eq!(record.model_id, model_id);
                assert_eq!(record.model_position, position as u32);
            }
        }
        assert_eq!(providers.count() as usize, total);
    }

    #[ink::test]
    fn default_is_empty() {
        let providers = Providers::default();
        assert_eq!(providers.count(), 0);
        assert!(!providers.contains(&id("p")));
        assert_eq!(
            providers.find(&id("p")),
            Err(RegistryError::ProviderNotFound)
        );
        assert_eq!(providers.metadata(&id("p")), "");
        assert!(providers.ids_by_owner(owner(1)).is_empty());
        assert!(providers.model_index(MODEL).is_empty());
    }

    #[ink::test]
    fn add_stores_record_metadata_and_appends_to_both_indexes() {
        let mut providers = Providers::default();
        add(&mut providers, "a", 1, MODEL);
        add(&mut providers, "b", 2, MODEL);
        add(&mut providers, "c", 1, 2);
        let c = providers.find(&id("c")).unwrap();
        assert_eq!((c.owner_position, c.model_position), (1, 0));
        assert_eq!(providers.metadata(&id("c")), "m-c");
        assert_eq!(providers.ids_by_owner(owner(1)), vec![id("a"), id("c")]);
        assert_eq!(providers.model_index(MODEL), vec![id("a"), id("b")]);
        assert_eq!(providers.count(), 3);
        assert_consistent(&providers, &[1, 2], &[MODEL, 2]);
    }

    #[ink::test]
    fn admit_refuses_a_taken_id_then_a_full_owner() {
        let mut providers = Providers::default();
        for n in 0..MAX_PROVIDERS_PER_OWNER {
            add(&mut providers, &format!("p{n}"), 1, MODEL);
        }
        assert_eq!(
            providers.admit(&id("p0"), owner(1)),
            Err(RegistryError::ProviderAlreadyRegistered)
        );
        assert_eq!(
            providers.admit(&id("new"), owner(1)),
            Err(RegistryError::TooManyProviders)
        );
        assert_eq!(
            providers.admit(&id("new"), owner(2)),
            Ok(Admission { owner_position: 0 })
        );
    }

    #[ink::test]
    fn add_with_a_full_count_fails_and_writes_nothing() {
        let mut providers = Providers::default();
        providers.set_count(u32::MAX);
        let admission = providers.admit(&id("p"), owner(1)).unwrap();
        assert_eq!(
            providers.add(&id("p"), admission, record(1, MODEL), &"{}".into()),
            Err(RegistryError::Overflow)
        );
        assert!(!providers.contains(&id("p")));
        assert_eq!(providers.count_by_owner(owner(1)), 0);
        assert_eq!(providers.count_by_model(MODEL), 0);
    }

    #[ink::test]
    fn remove_moves_the_last_entry_of_each_index_into_the_gap() {
        let mut providers = Providers::default();
        for name in ["a", "b", "c"] {
            add(&mut providers, name, 1, MODEL);
        }
        add(&mut providers, "x", 2, MODEL);
        let a = providers.find(&id("a")).unwrap();
        providers.remove(&id("a"), &a).unwrap();
        assert!(!providers.contains(&id("a")));
        assert_eq!(providers.metadata(&id("a")), "");
        assert_eq!(providers.ids_by_owner(owner(1)), vec![id("c"), id("b")]);
        assert_eq!(
            providers.model_index(MODEL),
            vec![id("x"), id("b"), id("c")]
        );
        assert_consistent(&providers, &[1, 2], &[MODEL]);
    }

    #[ink::test]
    fn remove_in_any_order_keeps_the_indexes_consistent() {
        let mut providers = Providers::default();
        let names = ["a", "b", "c", "d", "e", "f"];
        for (n, name) in names.iter().enumerate() {
            add(&mut providers, name, 1 + (n % 2) as u8, 1 + (n % 3) as u32);
        }
        for name in ["b", "f", "a", "e", "c", "d"] {
            let record = providers.find(&id(name)).unwrap();
            providers.remove(&id(name), &record).unwrap();
            assert_consistent(&providers, &[1, 2], &[1, 2, 3]);
        }
        assert_eq!(providers.count(), 0);
        let left: Vec<ProviderId> = providers.model_index(1);
        assert!(left.is_empty());
    }

    #[ink::test]
    fn remove_from_an_inconsistent_table_fails_and_writes_nothing() {
        let mut providers = Providers::default();
        add(&mut providers, "a", 1, MODEL);
        let a = providers.find(&id("a")).unwrap();
        providers.set_count(0);
        assert_eq!(providers.remove(&id("a"), &a), Err(RegistryError::Overflow));
        assert!(providers.contains(&id("a")));
        assert_eq!(providers.ids_by_owner(owner(1)), vec![id("a")]);
    }

    #[ink::test]
    fn pages_by_model_clamp_to_the_index_and_max_page_size() {
        let mut providers = Providers::default();
        for n in 0..5 {
            add(&mut providers, &format!("p{n}"), n as u8, MODEL);
        }
        assert_eq!(providers.model_page(MODEL, 0, 2), 3..5);
        assert_eq!(providers.model_page(MODEL, 3, 10), 0..3);
        assert_eq!(providers.model_page(MODEL, 7, 10), 0..5);
        assert_eq!(providers.model_page(MODEL, 0, u32::MAX), 0..5);
        assert_eq!(page_below(0, 500, u32::MAX), 400..500);
        let first = providers.ids_by_model(MODEL, 0, 2);
        assert_eq!(first.ids, vec![id("p4"), id("p3")]);
        assert_eq!(first.next_start, Some(3));
        let last = providers.ids_by_model(MODEL, 3, 10);
        assert_eq!(last.ids, vec![id("p2"), id("p1"), id("p0")]);
        assert_eq!(last.next_start, None);
        assert_eq!(providers.ids_by_model(2, 0, 10), ProviderIdsPage::default());
        assert_eq!(providers.count_by_model(2), 0);
    }

    #[ink::test]
    fn eligible_by_model_skips_deactivated_unlisted_and_jailed() {
        let mut providers = Providers::default();
        for n in 0..4 {
            add(&mut providers, &format!("p{n}"), 1, MODEL);
        }
        let mut change = |name: &str, edit: fn(&mut ProviderRecord)| {
            let mut record = providers.find(&id(name)).unwrap();
            edit(&mut record);
            providers.save(&id(name), &record);
        };
        change("p0", |record| record.deactivated = true);
        change("p1", |record| record.whitelisted = false);
        change("p2", |record| record.jailed_until = 6);
        let eligible = |epoch| -> Vec<(u32, ProviderId)> {
            providers
                .eligible_by_model(MODEL, 0..4, epoch)
                .into_iter()
                .map(|(position, id, _)| (position, id))
                .collect()
        };
        assert_eq!(eligible(5), vec![(3, id("p3"))]);
        assert_eq!(eligible(6), vec![(3, id("p3")), (2, id("p2"))]);
    }

    #[ink::test]
    fn with_metadata_stops_before_the_byte_cap() {
        let mut providers = Providers::default();
        let big = "x".repeat(1000);
        for n in 0..20u32 {
            let name = format!("p{n}");
            let admission = providers.admit(&id(&name), owner(n as u8)).unwrap();
            providers
                .add(&id(&name), admission, record(n as u8, MODEL), &big)
                .unwrap();
        }
        let all = (0..20u32).map(|n| (n, id(&format!("p{n}"))));
        let (page, next) = providers.with_metadata(all);
        // 12 entries of 1002 or 1003 bytes fit 12 KiB, the 13th does not.
        assert_eq!(page.len(), 12);
        assert_eq!(next, Some(12));
        assert_eq!(page[0].metadata, big);
        let (rest, next) = providers.with_metadata((18..20u32).map(|n| (n, id(&format!("p{n}")))));
        assert_eq!(rest.len(), 2);
        assert_eq!(next, None);
    }

    #[test]
    fn table_takes_no_byte_of_the_enclosing_cell() {
        use ink::storage::traits::Storable;
        let mut encoded = Vec::new();
        Providers::default().encode(&mut encoded);
        assert!(encoded.is_empty());
    }
}
