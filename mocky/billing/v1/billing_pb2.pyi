import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReceivePaddleWebhookRequest(_message.Message):
    __slots__ = ("raw_body", "signature_header")
    RAW_BODY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_HEADER_FIELD_NUMBER: _ClassVar[int]
    raw_body: bytes
    signature_header: str
    def __init__(self, raw_body: _Optional[bytes] = ..., signature_header: _Optional[str] = ...) -> None: ...

class ReceivePaddleWebhookResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: str
    def __init__(self, status: _Optional[str] = ...) -> None: ...

class CompleteLocalCheckoutRequest(_message.Message):
    __slots__ = ("user_id", "price_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    price_id: str
    def __init__(self, user_id: _Optional[str] = ..., price_id: _Optional[str] = ...) -> None: ...

class CompleteLocalCheckoutResponse(_message.Message):
    __slots__ = ("status", "transaction_id")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    status: str
    transaction_id: str
    def __init__(self, status: _Optional[str] = ..., transaction_id: _Optional[str] = ...) -> None: ...

class GetBalanceRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetBalanceResponse(_message.Message):
    __slots__ = ("credits", "can_start_interview", "flagged", "free_interview_available", "subscription")
    CREDITS_FIELD_NUMBER: _ClassVar[int]
    CAN_START_INTERVIEW_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    FREE_INTERVIEW_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    credits: int
    can_start_interview: bool
    flagged: bool
    free_interview_available: bool
    subscription: Subscription
    def __init__(self, credits: _Optional[int] = ..., can_start_interview: _Optional[bool] = ..., flagged: _Optional[bool] = ..., free_interview_available: _Optional[bool] = ..., subscription: _Optional[_Union[Subscription, _Mapping]] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ("id", "status", "price_ids", "next_billed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRICE_IDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_BILLED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    price_ids: _containers.RepeatedScalarFieldContainer[str]
    next_billed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., price_ids: _Optional[_Iterable[str]] = ..., next_billed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConsumeCreditRequest(_message.Message):
    __slots__ = ("user_id", "interview_id", "guest")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INTERVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    GUEST_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    interview_id: str
    guest: bool
    def __init__(self, user_id: _Optional[str] = ..., interview_id: _Optional[str] = ..., guest: _Optional[bool] = ...) -> None: ...

class ConsumeCreditResponse(_message.Message):
    __slots__ = ("remaining", "already_consumed")
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    ALREADY_CONSUMED_FIELD_NUMBER: _ClassVar[int]
    remaining: int
    already_consumed: bool
    def __init__(self, remaining: _Optional[int] = ..., already_consumed: _Optional[bool] = ...) -> None: ...

class CreateCheckoutRequest(_message.Message):
    __slots__ = ("user_id", "price_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    price_id: str
    def __init__(self, user_id: _Optional[str] = ..., price_id: _Optional[str] = ...) -> None: ...

class CreateCheckoutResponse(_message.Message):
    __slots__ = ("transaction_id", "checkout_url", "environment", "simulator_command")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    CHECKOUT_URL_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    SIMULATOR_COMMAND_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    checkout_url: str
    environment: str
    simulator_command: str
    def __init__(self, transaction_id: _Optional[str] = ..., checkout_url: _Optional[str] = ..., environment: _Optional[str] = ..., simulator_command: _Optional[str] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("id", "paid_at", "amount", "currency", "credits", "price_ids", "credits_taken_back")
    ID_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CREDITS_FIELD_NUMBER: _ClassVar[int]
    PRICE_IDS_FIELD_NUMBER: _ClassVar[int]
    CREDITS_TAKEN_BACK_FIELD_NUMBER: _ClassVar[int]
    id: str
    paid_at: _timestamp_pb2.Timestamp
    amount: str
    currency: str
    credits: int
    price_ids: _containers.RepeatedScalarFieldContainer[str]
    credits_taken_back: int
    def __init__(self, id: _Optional[str] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., credits: _Optional[int] = ..., price_ids: _Optional[_Iterable[str]] = ..., credits_taken_back: _Optional[int] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ("payments",)
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("price_id", "name", "credits", "amount", "currency")
    PRICE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDITS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    price_id: str
    name: str
    credits: int
    amount: str
    currency: str
    def __init__(self, price_id: _Optional[str] = ..., name: _Optional[str] = ..., credits: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products",)
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ...) -> None: ...
