//! FUNC, the FUNC provider network's PSP22 token.
//!
//! A thin shell around the reference `psp22` crate's [`psp22::PSP22Data`]: the whole supply is
//! minted to the deployer at construction, holders may burn their own tokens, and nothing
//! else can change a balance. There is no owner, no mint, no pause and no `set_code`: the
//! token is deliberately immutable (see `README.md`).
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

#[ink::contract]
pub mod func_token {
    use ink::prelude::{string::String, vec::Vec};
    use psp22::{PSP22Burnable, PSP22Data, PSP22Error, PSP22Event, PSP22Metadata, PSP22};

    /// `token_name`.
    pub const NAME: &str = "Function Network";
    /// `token_symbol`.
    pub const SYMBOL: &str = "FUNC";
    /// `token_decimals`: one FUNC is 10^18 units.
    pub const DECIMALS: u8 = 18;

    /// Balances, allowances and total supply, all held by the reference `PSP22Data`.
    #[ink(storage)]
    pub struct FuncToken {
        data: PSP22Data,
    }

    impl FuncToken {
        /// Mints the fixed `total_supply` to the caller.
        ///
        /// # Events
        /// `Transfer { from: None, to: Some(caller), value: total_supply }` (none when
        /// `total_supply` is 0).
        #[ink(constructor)]
        pub fn new(total_supply: u128) -> Self {
            // Minting into an empty token cannot overflow, so `PSP22Data::new` cannot fail.
            let (data, events) = PSP22Data::new(total_supply, Self::env().caller());
            let token = Self { data };
            token.emit_events(events);
            token
        }

        /// Emits the events `PSP22Data` returned: at most two per operation (`transfer_from`
        /// gives an `Approval` and a `Transfer`).
        fn emit_events(&self, events: Vec<PSP22Event>) {
            for event in events {
                match event {
                    PSP22Event::Transfer(event) => self.env().emit_event(event),
                    PSP22Event::Approval(event) => self.env().emit_event(event),
                }
            }
        }
    }

    /// The PSP22 standard, delegated to `PSP22Data`. Selectors are the standard ones
    /// (`PSP22::transfer`, …); the documentation of each message, with its `# Errors` and
    /// `# Events`, is on the `psp22::PSP22` trait.
    impl PSP22 for FuncToken {
        /// Total supply: the constructor's `total_supply` minus everything burnt.
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.data.total_supply()
        }

        /// Balance of `owner` (0 for unknown accounts).
        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.data.balance_of(owner)
        }

        /// What `spender` may still move from `owner` (0 when none was granted).
        #[ink(message)]
        fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.data.allowance(owner, spender)
        }

        /// Moves `value` from the caller to `to`; `data` is ignored.
        ///
        /// # Errors
        /// `InsufficientBalance` when `value` exceeds the caller's balance.
        ///
        /// # Events
        /// `Transfer`; none for a zero `value` or a transfer to oneself (no-ops).
        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let events = self.data.transfer(self.env().caller(), to, value)?;
            self.emit_events(events);
            Ok(())
        }

        /// Moves `value` from `from` to `to` using the allowance `from` granted the caller
        /// (none needed when the caller is `from`); `data` is ignored.
        ///
        /// # Errors
        /// `InsufficientAllowance`, then `InsufficientBalance`.
        ///
        /// # Events
        /// `Approval` with the reduced allowance (when the caller is not `from`), then
        /// `Transfer`; none for a zero `value` or `from == to` (no-ops).
        #[ink(message)]
        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .transfer_from(self.env().caller(), from, to, value)?;
            self.emit_events(events);
            Ok(())
        }

        /// Sets the caller's allowance to `spender` to `value` (overwriting it).
        ///
        /// # Errors
        /// None.
        ///
        /// # Events
        /// `Approval`; none when `spender` is the caller (no-op).
        #[ink(message)]
        fn approve(&mut self, spender: AccountId, value: u128) -> Result<(), PSP22Error> {
            let events = self.data.approve(self.env().caller(), spender, value)?;
            self.emit_events(events);
            Ok(())
        }

        /// Raises the caller's allowance to `spender` by `delta_value` (saturating).
        ///
        /// # Errors
        /// None.
        ///
        /// # Events
        /// `Approval` with the new allowance; none for a zero delta or `spender == caller`.
        #[ink(message)]
        fn increase_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .increase_allowance(self.env().caller(), spender, delta_value)?;
            self.emit_events(events);
            Ok(())
        }

        /// Lowers the caller's allowance to `spender` by `delta_value`.
        ///
        /// # Errors
        /// `InsufficientAllowance` when `delta_value` exceeds the allowance.
        ///
        /// # Events
        /// `Approval` with the new allowance; none for a zero delta or `spender == caller`.
        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .decrease_allowance(self.env().caller(), spender, delta_value)?;
            self.emit_events(events);
            Ok(())
        }
    }

    /// Constant metadata: nothing is stored, nothing can change it.
    impl PSP22Metadata for FuncToken {
        /// `Some("Function Network")`.
        #[ink(message)]
        fn token_name(&self) -> Option<String> {
            Some(String::from(NAME))
        }

        /// `Some("FUNC")`.
        #[ink(message)]
        fn token_symbol(&self) -> Option<String> {
            Some(String::from(SYMBOL))
        }

        /// `18`.
        #[ink(message)]
        fn token_decimals(&self) -> u8 {
            DECIMALS
        }
    }

    /// Holders burn their own tokens; nobody can burn anyone else's.
    impl PSP22Burnable for FuncToken {
        /// Destroys `value` of the caller's tokens, lowering the total supply.
        ///
        /// # Errors
        /// `InsufficientBalance` when `value` exceeds the caller's balance.
        ///
        /// # Events
        /// `Transfer { from: Some(caller), to: None, value }`; none for a zero `value`.
        #[ink(message)]
        fn burn(&mut self, value: u128) -> Result<(), PSP22Error> {
            let events = self.data.burn(self.env().caller(), value)?;
            self.emit_events(events);
            Ok(())
        }
    }

    #[cfg(test)]
    #[allow(clippy::arithmetic_side_effects)]
    mod tests {
        use super::*;
        use ink::env::{
            test::{default_accounts, recorded_events, set_caller, DefaultAccounts},
            DefaultEnvironment as E,
        };
        use psp22::Transfer;

        // The reference conformance suite of the `psp22` crate (33 tests).
        psp22::tests!(FuncToken, FuncToken::new);

        const SUPPLY: u128 = 1_000_000_000 * 10u128.pow(DECIMALS as u32);

        fn accounts() -> DefaultAccounts<E> {
            default_accounts::<E>()
        }

        /// Alice deploys with `SUPPLY`.
        fn deploy() -> FuncToken {
            set_caller::<E>(accounts().alice);
            FuncToken::new(SUPPLY)
        }

        fn transfer_events() -> Vec<Transfer> {
            recorded_events()
                .map(|event| {
                    <Transfer as ink::scale::Decode>::decode(&mut &event.data[..])
                        .expect("a Transfer event")
                })
                .collect()
        }

        #[ink::test]
        fn token_metadata_is_function_network_func_18() {
            let token = deploy();
            assert_eq!(token.token_name(), Some(String::from("Function Network")));
            assert_eq!(token.token_symbol(), Some(String::from("FUNC")));
            assert_eq!(token.token_decimals(), 18);
        }

        #[ink::test]
        fn new_mints_the_whole_supply_to_the_deployer() {
            let a = accounts();
            let token = deploy();
            assert_eq!(token.total_supply(), SUPPLY);
            assert_eq!(token.balance_of(a.alice), SUPPLY);
            let events = transfer_events();
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].from, None);
            assert_eq!(events[0].to, Some(a.alice));
            assert_eq!(events[0].value, SUPPLY);
        }

        #[ink::test]
        fn new_with_max_supply_works() {
            set_caller::<E>(accounts().alice);
            let token = FuncToken::new(u128::MAX);
            assert_eq!(token.total_supply(), u128::MAX);
            assert_eq!(token.balance_of(accounts().alice), u128::MAX);
        }

        #[ink::test]
        fn transfers_keep_the_supply_fixed() {
            let a = accounts();
            let mut token = deploy();
            token.transfer(a.bob, 300, Vec::new()).unwrap();
            token.approve(a.charlie, 100).unwrap();
            set_caller::<E>(a.charlie);
            token
                .transfer_from(a.alice, a.django, 100, Vec::new())
                .unwrap();
            assert_eq!(token.total_supply(), SUPPLY);
            assert_eq!(
                token.balance_of(a.alice) + token.balance_of(a.bob) + token.balance_of(a.django),
                SUPPLY
            );
        }

        #[ink::test]
        fn burn_by_holder_lowers_balance_and_supply() {
            let a = accounts();
            let mut token = deploy();
            token.transfer(a.bob, 500, Vec::new()).unwrap();
            let before = recorded_events().count();

            set_caller::<E>(a.bob);
            assert_eq!(token.burn(200), Ok(()));

            assert_eq!(token.balance_of(a.bob), 300);
            assert_eq!(token.balance_of(a.alice), SUPPLY - 500);
            assert_eq!(token.total_supply(), SUPPLY - 200);
            let events = transfer_events();
            assert_eq!(events.len(), before + 1);
            let burnt = &events[before];
            assert_eq!(burnt.from, Some(a.bob));
            assert_eq!(burnt.to, None);
            assert_eq!(burnt.value, 200);
        }

        #[ink::test]
        fn burn_of_whole_balance_empties_the_account() {
            let a = accounts();
            let mut token = deploy();
            assert_eq!(token.burn(SUPPLY), Ok(()));
            assert_eq!(token.balance_of(a.alice), 0);
            assert_eq!(token.total_supply(), 0);
        }

        #[ink::test]
        fn burn_above_balance_fails_and_changes_nothing() {
            let a = accounts();
            let mut token = deploy();
            token.transfer(a.bob, 500, Vec::new()).unwrap();
            let before = recorded_events().count();

            set_caller::<E>(a.bob);
            assert_eq!(token.burn(501), Err(PSP22Error::InsufficientBalance));

            assert_eq!(token.balance_of(a.bob), 500);
            assert_eq!(token.total_supply(), SUPPLY);
            assert_eq!(recorded_events().count(), before);
        }

        #[ink::test]
        fn burn_without_balance_fails() {
            let a = accounts();
            let mut token = deploy();
            set_caller::<E>(a.bob);
            assert_eq!(token.burn(1), Err(PSP22Error::InsufficientBalance));
            assert_eq!(token.total_supply(), SUPPLY);
        }

        #[ink::test]
        fn burn_of_zero_is_a_silent_no_op() {
            let a = accounts();
            let mut token = deploy();
            let before = recorded_events().count();
            set_caller::<E>(a.bob);
            assert_eq!(token.burn(0), Ok(()));
            assert_eq!(token.total_supply(), SUPPLY);
            assert_eq!(recorded_events().count(), before);
        }

        #[ink::test]
        fn burn_does_not_touch_allowances() {
            let a = accounts();
            let mut token = deploy();
            token.approve(a.bob, 1_000).unwrap();
            token.burn(10).unwrap();
            assert_eq!(token.allowance(a.alice, a.bob), 1_000);
            // A spender cannot burn the owner's tokens: `burn` only ever debits the caller.
            set_caller::<E>(a.bob);
            assert_eq!(token.burn(1), Err(PSP22Error::InsufficientBalance));
            assert_eq!(token.balance_of(a.alice), SUPPLY - 10);
        }
    }
}
