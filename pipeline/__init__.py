"""yakkan: Japanese terms documents (約款, 利用規約, サービス実施条件) as structured data."""

__version__ = "0.1.0"
