//! Reward escrow: how much FUNC the pool holds for rewards and how much of it is promised.
use func_interfaces::{ensure, Balance, StakingError};

/// The pool's reward funds. `balance` = funded − paid; `reserved` = promised − paid, never above
/// `balance`, so every promised reward is payable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct RewardFunding {
    /// FUNC held for rewards (funds and boosts in, claims out).
    pub balance: Balance,
    /// FUNC promised to boosts and reported epochs and not yet claimed or released.
    pub reserved: Balance,
}

impl RewardFunding {
    /// Funds not promised to any epoch yet.
    pub fn unreserved(&self) -> Balance {
        // `reserved <= balance` is kept by every method below.
        self.balance.saturating_sub(self.reserved)
    }

    /// Adds `amount` to the balance.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn fund(&mut self, amount: Balance) -> Result<(), StakingError> {
        self.balance = self
            .balance
            .checked_add(amount)
            .ok_or(StakingError::Overflow)?;
        Ok(())
    }

    /// Replaces a reservation of `released` by one of `amount` (a correction releases the
    /// epoch's previous reservation first). Unchanged on error.
    ///
    /// # Errors
    /// `InsufficientRewardFunding` with what is available once `released` is released;
    /// `Overflow` if `released` was never reserved.
    pub fn re_reserve(&mut self, released: Balance, amount: Balance) -> Result<(), StakingError> {
        let reserved = self
            .reserved
            .checked_sub(released)
            .ok_or(StakingError::Overflow)?;
        let available = self
            .balance
            .checked_sub(reserved)
            .ok_or(StakingError::Overflow)?;
        ensure!(
            amount <= available,
            StakingError::InsufficientRewardFunding { available }
        );
        // `amount <= balance - reserved`, so the sum is at most `balance`.
        self.reserved = reserved.saturating_add(amount);
        Ok(())
    }

    /// Reserves `amount` of the unreserved funds (boosts, when funded).
    ///
    /// # Errors
    /// As [`Self::re_reserve`].
    pub fn reserve(&mut self, amount: Balance) -> Result<(), StakingError> {
        self.re_reserve(0, amount)
    }

    /// Returns `amount` of the reservation to the unreserved funds (what nobody can claim from
    /// a final epoch). Unchanged on error.
    ///
    /// # Errors
    /// `Overflow` if `amount` exceeds the reservation.
    pub fn release(&mut self, amount: Balance) -> Result<(), StakingError> {
        self.reserved = self
            .reserved
            .checked_sub(amount)
            .ok_or(StakingError::Overflow)?;
        Ok(())
    }

    /// Takes `amount` of the unreserved funds out of the pool. Unchanged on error.
    ///
    /// # Errors
    /// `ZeroAmount`; `InsufficientRewardFunding` with the unreserved funds.
    pub fn withdraw(&mut self, amount: Balance) -> Result<(), StakingError> {
        ensure!(amount > 0, StakingError::ZeroAmount);
        let available = self.unreserved();
        ensure!(
            amount <= available,
            StakingError::InsufficientRewardFunding { available }
        );
        // `amount <= balance - reserved <= balance`.
        self.balance = self.balance.saturating_sub(amount);
        Ok(())
    }

    /// Pays out `amount` of reserved funds. Unchanged on error.
    ///
    /// # Errors
    /// `Overflow` if `amount` exceeds the reservation.
    pub fn pay(&mut self, amount: Balance) -> Result<(), StakingError> {
        let reserved = self
            .reserved
            .checked_sub(amount)
            .ok_or(StakingError::Overflow)?;
        let balance = self
            .balance
            .checked_sub(amount)
            .ok_or(StakingError::Overflow)?;
        self.reserved = reserved;
        self.balance = balance;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funding(balance: Balance, reserved: Balance) -> RewardFunding {
        RewardFunding { balance, reserved }
    }

    #[test]
    fn fund_adds_to_the_balance_only() {
        let mut f = funding(10, 4);
        f.fund(5).unwrap();
        assert_eq!(f, funding(15, 4));
        assert_eq!(f.unreserved(), 11);
    }

    #[test]
    fn fund_overflow_fails_and_changes_nothing() {
        let mut f = funding(Balance::MAX, 0);
        assert_eq!(f.fund(1), Err(StakingError::Overflow));
        assert_eq!(f, funding(Balance::MAX, 0));
    }

    #[test]
    fn re_reserve_within_unreserved_funds_succeeds() {
        let mut f = funding(100, 30);
        f.re_reserve(0, 70).unwrap();
        assert_eq!(f, funding(100, 100));
        assert_eq!(f.unreserved(), 0);
    }

    #[test]
    fn re_reserve_releases_the_previous_reservation_first() {
        let mut f = funding(100, 100);
        f.re_reserve(60, 50).unwrap();
        assert_eq!(f, funding(100, 90));
        f.re_reserve(50, 10).unwrap();
        assert_eq!(f, funding(100, 50));
    }

    #[test]
    fn re_reserve_above_available_fails_and_changes_nothing() {
        let mut f = funding(100, 90);
        assert_eq!(
            f.re_reserve(20, 31),
            Err(StakingError::InsufficientRewardFunding { available: 30 })
        );
        assert_eq!(f, funding(100, 90));
    }

    #[test]
    fn re_reserve_of_more_than_reserved_fails() {
        let mut f = funding(100, 10);
        assert_eq!(f.re_reserve(11, 0), Err(StakingError::Overflow));
        assert_eq!(f, funding(100, 10));
    }

    #[test]
    fn release_returns_reserved_funds_to_unreserved() {
        let mut f = funding(100, 40);
        f.release(15).unwrap();
        assert_eq!(f, funding(100, 25));
        assert_eq!(f.release(26), Err(StakingError::Overflow));
        assert_eq!(f, funding(100, 25));
    }

    #[test]
    fn withdraw_takes_only_unreserved_funds() {
        let mut f = funding(100, 40);
        assert_eq!(
            f.withdraw(61),
            Err(StakingError::InsufficientRewardFunding { available: 60 })
        );
        assert_eq!(f.withdraw(0), Err(StakingError::ZeroAmount));
        f.withdraw(60).unwrap();
        assert_eq!(f, funding(40, 40));
    }

    #[test]
    fn pay_lowers_balance_and_reservation() {
        let mut f = funding(100, 40);
        f.pay(25).unwrap();
        assert_eq!(f, funding(75, 15));
        assert_eq!(f.unreserved(), 60);
    }

    #[test]
    fn pay_above_the_reservation_fails_and_changes_nothing() {
        let mut f = funding(100, 40);
        assert_eq!(f.pay(41), Err(StakingError::Overflow));
        assert_eq!(f, funding(100, 40));
    }
}
