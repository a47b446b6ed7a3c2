//! Cluster operations over an owner's providers: which of them one call covers
//! ([`plan`], within the proof budget), and how the pools' answers become the
//! [`ClusterOutcome`] ([`execute`]). Pure: the contract passes the owner's ids, a record lookup
//! and the pool call.
use crate::{
    calls, providers,
    types::{ClusterOutcome, ProviderRecord},
};
use func_interfaces::{
    limits::{CLUSTER_CALL_BUDGET, CLUSTER_EXTRA_POOL_COST, MAX_CLUSTER_POOLS_PER_CALL},
    AccountId, Balance, ProviderId, ProviderView, RegistryError, StakingError,
};
use ink::prelude::{vec, vec::Vec};

/// A pool's answer to a cluster call: one result per id, in order.
pub type PoolResults = Result<Vec<Result<Balance, StakingError>>, RegistryError>;

/// The providers one cluster call covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterPage {
    /// The page's providers with their records, in the owner's index order.
    pub providers: Vec<(ProviderId, ProviderRecord)>,
    /// The page's pools in order of first appearance, each with the positions (in
    /// `providers`) of its providers, in order.
    pub pools: Vec<(AccountId, Vec<usize>)>,
    /// The cursor of the next page (the `start` of the next call); `None` when done.
    pub next_start: Option<u32>,
}

/// The page at `cursor` of the owner's providers `ids` (index order), read from the top of the
/// index down (`providers::page_below`: 0 starts at the newest id, else below the cursor; an id
/// only moves down when another is removed, so a run never skips one): as many as fit
/// `CLUSTER_CALL_BUDGET` (each provider costs 1, each pool after the first
/// `CLUSTER_EXTRA_POOL_COST` more) in at most `MAX_CLUSTER_POOLS_PER_CALL` pools, and at least
/// one. `record_of` is asked for each id of the page until it is full (one storage read each);
/// an id without a record is skipped.
pub fn plan(
    ids: Vec<ProviderId>,
    cursor: u32,
    mut record_of: impl FnMut(&ProviderId) -> Option<ProviderRecord>,
) -> ClusterPage {
    let mut page = ClusterPage::default();
    // The page's proof cost in units of one provider (see `CLUSTER_CALL_BUDGET`).
    let mut cost: u32 = 0;
    // At most MAX_PROVIDERS_PER_OWNER ids: the whole index is one range.
    let len = ids.len() as u32;
    let range = providers::page_below(cursor, len, len);
    // Bound: at most MAX_PROVIDERS_PER_OWNER ids.
    for (offset, id) in ids.into_iter().enumerate().take(range.end as usize).rev() {
        // Every indexed id has a record: deregistration removes both together.
        let Some(record) = record_of(&id) else {
            continue;
        };
        let pool_index = page.pools.iter().position(|(pool, _)| *pool == record.pool);
        let extra = if pool_index.is_none() && !page.pools.is_empty() {
            CLUSTER_EXTRA_POOL_COST
        } else {
            0
        };
        let next_cost = cost.saturating_add(1).saturating_add(extra);
        if !page.providers.is_empty()
            && (next_cost > CLUSTER_CALL_BUDGET
                || (pool_index.is_none()
                    && page.pools.len() >= MAX_CLUSTER_POOLS_PER_CALL as usize))
        {
            // Positions up to this one are left for the next page.
            page.next_start = providers::next_cursor((offset as u32).saturating_add(1));
            break;
        }
        cost = next_cost;
        let position = page.providers.len();
        match pool_index {
            Some(index) => page.pools[index].1.push(position),
            None => page.pools.push((record.pool, vec![position])),
        }
        page.providers.push((id, record));
    }
    page
}

/// Runs `pool_call` once per pool of `page` with its providers and their views, and collects
/// the outcome in the page's order. A failed pool call is recorded for each of its ids, never
/// propagated (a callee's `Err` reverts only its own frame); an answer of the wrong length
/// counts as `CrossContractCall` for each.
///
/// # Errors
/// `Overflow` when the total passes `Balance::MAX` (after every pool call).
pub fn execute(
    page: ClusterPage,
    mut pool_call: impl FnMut(AccountId, Vec<(ProviderId, ProviderView)>) -> PoolResults,
) -> Result<ClusterOutcome, RegistryError> {
    let ClusterPage {
        providers,
        pools,
        next_start,
    } = page;
    let mut results: Vec<Option<Result<Balance, StakingError>>> =
        providers.iter().map(|_| None).collect();
    // Bound: at most MAX_CLUSTER_POOLS_PER_CALL pools.
    for (pool, members) in pools {
        let entries = members
            .iter()
            .map(|&index| (providers[index].0.clone(), providers[index].1.view()))
            .collect();
        match pool_call(pool, entries) {
            Ok(answers) if answers.len() == members.len() => {
                for (index, answer) in members.into_iter().zip(answers) {
                    results[index] = Some(answer);
                }
            }
            Ok(_) => {
                for index in members {
                    results[index] = Some(Err(StakingError::CrossContractCall));
                }
            }
            Err(error) => {
                let error = calls::staking_error(error);
                for index in members {
                    results[index] = Some(Err(error.clone()));
                }
            }
        }
    }
    merge(
        providers.into_iter().map(|(id, _)| id).zip(results),
        next_start,
    )
}

/// The outcome of each provider, in order (`None`: never answered, counted as
/// `CrossContractCall`), as one [`ClusterOutcome`].
///
/// # Errors
/// `Overflow`.
pub fn merge(
    results: impl IntoIterator<Item = (ProviderId, Option<Result<Balance, StakingError>>)>,
    next_start: Option<u32>,
) -> Result<ClusterOutcome, RegistryError> {
    let mut outcome = ClusterOutcome {
        next_start,
        ..ClusterOutcome::default()
    };
    for (id, result) in results {
        match result.unwrap_or(Err(StakingError::CrossContractCall)) {
            Ok(amount) => {
                outcome.total = outcome
                    .total
                    .checked_add(amount)
                    .ok_or(RegistryError::Overflow)?;
                outcome.succeeded.push(id);
            }
            Err(error) => outcome.failed.push((id, error)),
        }
    }
    Ok(outcome)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // small test counters
mod tests {
    use super::*;
    use ink::prelude::format;

    fn owner() -> AccountId {
        AccountId::from([1; 32])
    }

    fn pool(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn id(n: usize) -> ProviderId {
        format!("p{n}").into_bytes()
    }

    fn record(pool_n: u8) -> ProviderRecord {
        ProviderRecord {
            owner: owner(),
            model_id: pool_n.into(),
            pool: pool(pool_n),
            registered_at_block: 1,
            registered_epoch: 1,
            whitelisted: true,
            jailed_until: 0,
            deactivated: false,
            owner_position: 0,
            model_position: 0,
        }
    }

    /// Ids `p0..` whose pools are `pools`, and their lookup (counting the lookups).
    fn owner_with(
        pools: &[u8],
    ) -> (
        Vec<ProviderId>,
        impl Fn(&ProviderId) -> Option<ProviderRecord>,
    ) {
        let ids = (0..pools.len()).map(id).collect();
        let pools = pools.to_vec();
        let lookup = move |asked: &ProviderId| {
            (0..pools.len())
                .find(|&n| id(n) == *asked)
                .map(|n| record(pools[n]))
        };
        (ids, lookup)
    }

    fn page_ids(page: &ClusterPage) -> Vec<ProviderId> {
        page.providers.iter().map(|(id, _)| id.clone()).collect()
    }

    #[test]
    fn plan_fills_the_budget_with_one_pool_from_the_newest_id_down() {
        let (ids, lookup) = owner_with(&[1; 10]);
        let budget = CLUSTER_CALL_BUDGET as usize;
        let page = plan(ids.clone(), 0, &lookup);
        assert_eq!(page.providers.len(), budget);
        assert_eq!(
            page_ids(&page),
            (10 - budget..10).rev().map(id).collect::<Vec<_>>()
        );
        assert_eq!(page.next_start, Some(10 - CLUSTER_CALL_BUDGET));
        assert_eq!(page.pools, vec![(pool(1), (0..budget).collect::<Vec<_>>())]);
        let last = plan(ids, 2, &lookup);
        assert_eq!(page_ids(&last), vec![id(1), id(0)]);
        assert_eq!(last.next_start, None);
    }

    #[test]
    fn plan_stops_at_a_new_pool_beyond_the_pool_limit() {
        // MAX_CLUSTER_POOLS_PER_CALL = 1; with a higher limit the extra pool cost applies.
        let (ids, lookup) = owner_with(&[1, 1, 2, 3]);
        let mut start = 0;
        let mut pages = Vec::new();
        loop {
            let page = plan(ids.clone(), start, &lookup);
            assert!(page.pools.len() <= MAX_CLUSTER_POOLS_PER_CALL as usize);
            pages.push(page_ids(&page));
            match page.next_start {
                Some(next) => start = next,
                None => break,
            }
        }
        assert_eq!(pages, vec![vec![id(3)], vec![id(2)], vec![id(1), id(0)]]);
    }

    #[test]
    fn plan_reads_no_record_above_the_cursor_nor_below_the_page() {
        let (ids, lookup) = owner_with(&[1; 10]);
        let mut asked = Vec::new();
        let page = plan(ids, 8, |id| {
            asked.push(id.clone());
            lookup(id)
        });
        let bottom = 8 - CLUSTER_CALL_BUDGET as usize;
        assert_eq!(
            page_ids(&page),
            (bottom..8).rev().map(id).collect::<Vec<_>>()
        );
        // The first id of the next page is read to find that it does not fit.
        assert_eq!(asked, (bottom - 1..8).rev().map(id).collect::<Vec<_>>());
    }

    #[test]
    fn plan_skips_ids_without_a_record_and_keeps_index_positions() {
        let (ids, lookup) = owner_with(&[1; 6]);
        let page = plan(ids, 0, |asked| {
            (*asked != id(4)).then(|| lookup(asked)).flatten()
        });
        // Index positions 5, 3, 2, … fill the budget; position 4 has no record.
        let bottom = 6 - 1 - CLUSTER_CALL_BUDGET as usize;
        let expected: Vec<_> = (bottom..6).rev().filter(|&n| n != 4).map(id).collect();
        assert_eq!(page_ids(&page), expected);
        assert_eq!(page.next_start, Some(bottom as u32));
    }

    #[test]
    fn plan_without_ids_is_empty_and_a_cursor_past_the_end_starts_at_the_top() {
        let (ids, lookup) = owner_with(&[1, 1]);
        assert_eq!(page_ids(&plan(ids, 5, &lookup)), vec![id(1), id(0)]);
        assert_eq!(plan(Vec::new(), 0, &lookup), ClusterPage::default());
    }

    /// Issue 17, item 4: an owner's run of pages, with its first id deregistered between two
    /// pages (the last id moves into its place), still offers every remaining id.
    #[test]
    fn a_run_of_pages_offers_every_id_whatever_is_removed_between_pages() {
        for removed in 0..5usize {
            for after_page in 0..2usize {
                let mut ids: Vec<ProviderId> = (0..5).map(id).collect();
                let lookup = |asked: &ProviderId| Some(record(1)).filter(|_| !asked.is_empty());
                let mut offered = Vec::new();
                let mut cursor = 0;
                for page_number in 0.. {
                    let page = plan(ids.clone(), cursor, lookup);
                    offered.extend(page_ids(&page));
                    if page_number == after_page {
                        // Deregistration: the last id moves into the freed position.
                        let last = ids.pop().unwrap();
                        if removed < ids.len() {
                            ids[removed] = last;
                        }
                    }
                    match page.next_start {
                        Some(next) => cursor = next,
                        None => break,
                    }
                }
                for still in &ids {
                    assert!(
                        offered.contains(still),
                        "{still:?} skipped (removed position {removed} after page {after_page})"
                    );
                }
            }
        }
    }

    fn two_pool_page() -> ClusterPage {
        ClusterPage {
            providers: vec![(id(0), record(1)), (id(1), record(2)), (id(2), record(1))],
            pools: vec![(pool(1), vec![0, 2]), (pool(2), vec![1])],
            next_start: Some(7),
        }
    }

    #[test]
    fn execute_calls_each_pool_once_and_merges_in_page_order() {
        let mut calls = Vec::new();
        let outcome = execute(two_pool_page(), |pool_of, entries| {
            assert!(entries.iter().all(|(_, view)| view.owner == owner()));
            calls.push((
                pool_of,
                entries.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
            ));
            Ok(if pool_of == pool(1) {
                vec![Ok(5), Err(StakingError::NothingToClaim)]
            } else {
                vec![Ok(7)]
            })
        })
        .unwrap();
        assert_eq!(
            calls,
            vec![(pool(1), vec![id(0), id(2)]), (pool(2), vec![id(1)])]
        );
        assert_eq!(
            outcome,
            ClusterOutcome {
                succeeded: vec![id(0), id(1)],
                failed: vec![(id(2), StakingError::NothingToClaim)],
                total: 12,
                next_start: Some(7),
            }
        );
    }

    #[test]
    fn execute_fails_every_id_of_a_failed_or_short_pool_answer() {
        let outcome = execute(two_pool_page(), |pool_of, _| {
            if pool_of == pool(1) {
                Ok(vec![Ok(1)])
            } else {
                Err(RegistryError::Staking(StakingError::NotStaked))
            }
        })
        .unwrap();
        assert_eq!(outcome.succeeded, Vec::<ProviderId>::new());
        assert_eq!(
            outcome.failed,
            vec![
                (id(0), StakingError::CrossContractCall),
                (id(1), StakingError::NotStaked),
                (id(2), StakingError::CrossContractCall),
            ]
        );
        let unreachable = execute(two_pool_page(), |_, _| {
            Err(RegistryError::CrossContractCall)
        })
        .unwrap();
        assert_eq!(unreachable.failed.len(), 3);
        assert!(unreachable
            .failed
            .iter()
            .all(|(_, error)| *error == StakingError::CrossContractCall));
    }

    #[test]
    fn merge_sums_and_refuses_an_overflowing_total() {
        let outcome = merge(
            vec![(id(0), Some(Ok(2))), (id(1), None), (id(2), Some(Ok(3)))],
            None,
        )
        .unwrap();
        assert_eq!(outcome.succeeded, vec![id(0), id(2)]);
        assert_eq!(
            outcome.failed,
            vec![(id(1), StakingError::CrossContractCall)]
        );
        assert_eq!(outcome.total, 5);
        assert_eq!(
            merge(
                vec![(id(0), Some(Ok(Balance::MAX))), (id(1), Some(Ok(1)))],
                None
            ),
            Err(RegistryError::Overflow)
        );
    }
}
