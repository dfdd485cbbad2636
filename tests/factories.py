import factory

from portal.models import Agency, Membership, Notification, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n % 10}.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = "regency"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"OPD{n}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = "planner"
    scope = factory.LazyAttribute(lambda o: Membership.default_scope(o.role))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("scope") is None:
            kwargs["scope"] = Membership.default_scope(kwargs["role"])
        return super()._create(model_class, *args, **kwargs)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox row; its e-mail waits in the outbox unless email_status says otherwise."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"Pemberitahuan {n}")
    body = "Isi pemberitahuan."
