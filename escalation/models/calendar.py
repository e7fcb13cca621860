"""The calendar deadlines count in: holidays and working days entered per year, and provinces with their wages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from escalation.holidays import Schedule


class HolidayCalendar(models.Model):
    """Official holidays and make-up workdays an admin adds for a year the library does not know.

    The State Council publishes each year's schedule in November. Once the whole
    year is entered and marked complete, deadlines in it are no longer provisional.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("the whole year is entered"),
        default=False,
        help_text=_("Tick once every holiday and make-up workday of the published schedule is entered."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The State Council notice."))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday calendar")
        verbose_name_plural = _("holiday calendars")

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def replace_schedule(cls, schedule: Schedule, source: str, actor: User | None = None) -> HolidayCalendar:
        """Save a whole year's schedule (escalation.holidays.Schedule) in one transaction; return the calendar.

        The year's earlier dates are replaced, the year is marked complete, and
        ``holidays_saved`` lets the deadlines that depend on the year be
        recomputed in the same transaction: all of it is saved, or none.
        """
        from escalation import cache
        from escalation.signals import holidays_saved

        with transaction.atomic():
            calendar, _created = cls.objects.update_or_create(
                year=schedule.year, defaults={"complete": True, "source": source}
            )
            calendar.dates.all().delete()
            HolidayDate.objects.bulk_create(
                [
                    HolidayDate(calendar=calendar, date=day, kind=HolidayDate.Kind.HOLIDAY, name=name)
                    for day, name in sorted(schedule.holidays.items())
                ]
                + [
                    HolidayDate(calendar=calendar, date=day, kind=HolidayDate.Kind.WORKDAY, name=name)
                    for day, name in sorted(schedule.workdays.items())
                ]
            )
            cache.forget()
            holidays_saved.send(sender=cls, year=schedule.year, actor=actor)
            transaction.on_commit(cache.forget)
        return calendar


class HolidayDate(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Make-up workday (调休)")

    calendar = models.ForeignKey(
        HolidayCalendar, on_delete=models.CASCADE, related_name="dates", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday date")
        verbose_name_plural = _("holiday dates")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    def clean(self) -> None:
        try:
            calendar = self.calendar  # unsaved while the admin adds calendar and dates together
        except HolidayCalendar.DoesNotExist:
            return
        if self.date and calendar.year and self.date.year != calendar.year:
            raise ValidationError({"date": _("This date is not in the calendar's year.")}, code="wrong_year")


class Province(models.TextChoices):
    """Mainland China's 31 provincial-level divisions, by their full names."""

    BEIJING = "beijing", _("Beijing")
    TIANJIN = "tianjin", _("Tianjin")
    HEBEI = "hebei", _("Hebei")
    SHANXI = "shanxi", _("Shanxi")
    INNER_MONGOLIA = "inner_mongolia", _("Inner Mongolia")
    LIAONING = "liaoning", _("Liaoning")
    JILIN = "jilin", _("Jilin")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")
    SHANGHAI = "shanghai", _("Shanghai")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    ANHUI = "anhui", _("Anhui")
    FUJIAN = "fujian", _("Fujian")
    JIANGXI = "jiangxi", _("Jiangxi")
    SHANDONG = "shandong", _("Shandong")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    GUANGDONG = "guangdong", _("Guangdong")
    GUANGXI = "guangxi", _("Guangxi")
    HAINAN = "hainan", _("Hainan")
    CHONGQING = "chongqing", _("Chongqing")
    SICHUAN = "sichuan", _("Sichuan")
    GUIZHOU = "guizhou", _("Guizhou")
    YUNNAN = "yunnan", _("Yunnan")
    TIBET = "tibet", _("Tibet")
    SHAANXI = "shaanxi", _("Shaanxi")
    GANSU = "gansu", _("Gansu")
    QINGHAI = "qinghai", _("Qinghai")
    NINGXIA = "ningxia", _("Ningxia")
    XINJIANG = "xinjiang", _("Xinjiang")


# The official Chinese name of each division, as PBoC branch names use it
# (中国人民银行北京市分行, 四川省分行, 宁夏回族自治区分行; domain.md §1.1).
PROVINCE_OFFICIAL_NAMES = {
    "beijing": "北京市",
    "tianjin": "天津市",
    "hebei": "河北省",
    "shanxi": "山西省",
    "inner_mongolia": "内蒙古自治区",
    "liaoning": "辽宁省",
    "jilin": "吉林省",
    "heilongjiang": "黑龙江省",
    "shanghai": "上海市",
    "jiangsu": "江苏省",
    "zhejiang": "浙江省",
    "anhui": "安徽省",
    "fujian": "福建省",
    "jiangxi": "江西省",
    "shandong": "山东省",
    "henan": "河南省",
    "hubei": "湖北省",
    "hunan": "湖南省",
    "guangdong": "广东省",
    "guangxi": "广西壮族自治区",
    "hainan": "海南省",
    "chongqing": "重庆市",
    "sichuan": "四川省",
    "guizhou": "贵州省",
    "yunnan": "云南省",
    "tibet": "西藏自治区",
    "shaanxi": "陕西省",
    "gansu": "甘肃省",
    "qinghai": "青海省",
    "ningxia": "宁夏回族自治区",
    "xinjiang": "新疆维吾尔自治区",
}


class ProvinceWage(models.Model):
    """A province's last published average annual wage of employed persons: the small-claims yardstick.

    民事诉讼法 Art. 165: small claims apply up to 50 % of it. No figure is seeded:
    an admin enters it with its source.
    """

    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    year = models.PositiveSmallIntegerField(_("statistics year"))
    average_annual_wage = models.PositiveIntegerField(_("average annual wage (yuan)"))
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["province", "-year"]
        verbose_name = _("provincial average wage")
        verbose_name_plural = _("provincial average wages")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="unique_province_wage_year")]

    def __str__(self) -> str:
        return f"{self.get_province_display()} {self.year}"

    @classmethod
    def latest_for(cls, province: str) -> ProvinceWage | None:
        return cls.objects.filter(province=province).order_by("-year").first()
