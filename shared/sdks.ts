/**
 * The SDK knowledge base: data, not code (like the feature knowledge base in features.ts). Each SDK
 * is known by the classes it defines: a prefix ending in `.` is a package (every class in it and in
 * its subpackages), any other prefix one class (and its nested classes). The engine matches them
 * against the classes an app's DEX files define (electron/engine/android/code/sdkMatcher.ts).
 *
 * Sources: the εxodus tracker list (Exodus Privacy's tracker definitions, whose code signatures
 * are checked against a mirror of the list, App Manager's res/values/trackers.xml, commit
 * 03a318d8, which keeps εxodus entries apart from ETIP candidates), ETIP (εxodus's tracker
 * investigation platform: candidates not yet in the εxodus list), and the SDK vendors' own
 * documentation of their package and class names. Where εxodus gives a bare prefix
 * (`com.facebook.ads`), it is written here as a package (`com.facebook.ads.`), so a longer name
 * (`com.facebook.adsmanager`) does not match.
 */
import type { SdkCategory } from './app.js';

export interface SdkDefinition {
  /** Stable id, kebab-case, used in JSON and rules. */
  id: string;
  name: string;
  vendor: string;
  category: SdkCategory;
  /** Package prefixes (ending in `.`) or class names whose classes identify the SDK. */
  prefixes: string[];
  /** Where the knowledge comes from. */
  sources: string[];
}

export const SDK_CATEGORIES: readonly SdkCategory[] = ['analytics', 'advertising', 'crash-reporting', 'push-messaging', 'location', 'social', 'payments', 'vendor-telemetry'];

/** Categories whose SDKs count as trackers: they collect data about the user or the device. */
export const TRACKER_CATEGORIES: readonly SdkCategory[] = ['analytics', 'advertising', 'crash-reporting', 'location', 'vendor-telemetry'];

export const CATEGORY_LABELS: Readonly<Record<SdkCategory, string>> = {
  analytics: 'analytics',
  advertising: 'advertising',
  'crash-reporting': 'crash reporting',
  'push-messaging': 'push messaging',
  location: 'location',
  social: 'social',
  payments: 'payments',
  'vendor-telemetry': 'vendor telemetry',
};

export function isTrackerCategory(category: SdkCategory): boolean {
  return TRACKER_CATEGORIES.includes(category);
}

const exodus = (name: string): string => `εxodus tracker list: “${name}”`;
const etip = (name: string): string => `ETIP candidate tracker: “${name}”`;

export const SDKS: readonly SdkDefinition[] = [
  // ---- Google
  { id: 'google-firebase-analytics', name: 'Google Firebase Analytics', vendor: 'Google', category: 'analytics',
    prefixes: ['com.google.firebase.analytics.', 'com.google.android.gms.measurement.', 'com.google.firebase.firebase_analytics.'],
    sources: [exodus('Google Firebase Analytics'), 'Firebase Android API reference: com.google.firebase.analytics.FirebaseAnalytics'] },
  { id: 'google-analytics', name: 'Google Analytics', vendor: 'Google', category: 'analytics',
    prefixes: ['com.google.android.gms.analytics.', 'com.google.analytics.', 'com.google.android.apps.analytics.'], sources: [exodus('Google Analytics')] },
  { id: 'google-crashlytics', name: 'Google Firebase Crashlytics', vendor: 'Google', category: 'crash-reporting',
    prefixes: ['com.google.firebase.crashlytics.', 'com.crashlytics.', 'io.fabric.sdk.', 'com.google.firebase.crash.'], sources: [exodus('Google CrashLytics')] },
  { id: 'google-admob', name: 'Google AdMob', vendor: 'Google', category: 'advertising',
    prefixes: ['com.google.android.gms.ads.', 'com.google.ads.', 'com.google.android.gms.admob.'], sources: [exodus('Google AdMob')] },
  { id: 'google-tag-manager', name: 'Google Tag Manager', vendor: 'Google', category: 'analytics',
    prefixes: ['com.google.android.gms.tagmanager.', 'com.google.tagmanager.'], sources: [exodus('Google Tag Manager')] },
  { id: 'firebase-cloud-messaging', name: 'Firebase Cloud Messaging', vendor: 'Google', category: 'push-messaging',
    prefixes: ['com.google.firebase.messaging.'], sources: ['Firebase Android API reference: com.google.firebase.messaging.FirebaseMessaging'] },
  { id: 'google-cloud-messaging', name: 'Google Cloud Messaging (GCM)', vendor: 'Google', category: 'push-messaging',
    prefixes: ['com.google.android.gms.gcm.'], sources: ['Google Play services API reference (GCM, deprecated): com.google.android.gms.gcm.GoogleCloudMessaging'] },
  { id: 'google-location', name: 'Google Play services location', vendor: 'Google', category: 'location',
    prefixes: ['com.google.android.gms.location.'], sources: ['Google Play services API reference: com.google.android.gms.location.FusedLocationProviderClient'] },
  { id: 'google-play-billing', name: 'Google Play Billing Library', vendor: 'Google', category: 'payments',
    prefixes: ['com.android.billingclient.'], sources: [etip('Google Play Billing Library / Service'), 'Android developers, Play Billing Library: com.android.billingclient.api.BillingClient'] },

  // ---- Meta
  { id: 'facebook-analytics', name: 'Facebook Analytics', vendor: 'Meta', category: 'analytics',
    prefixes: ['com.facebook.appevents.', 'com.facebook.marketing.', 'com.facebook.CampaignTrackingReceiver'], sources: [exodus('Facebook Analytics')] },
  { id: 'facebook-ads', name: 'Facebook Audience Network', vendor: 'Meta', category: 'advertising', prefixes: ['com.facebook.ads.'], sources: [exodus('Facebook Ads')] },
  { id: 'facebook-login', name: 'Facebook Login', vendor: 'Meta', category: 'social', prefixes: ['com.facebook.login.'], sources: [exodus('Facebook Login')] },
  { id: 'facebook-share', name: 'Facebook Share', vendor: 'Meta', category: 'social', prefixes: ['com.facebook.share.'], sources: [exodus('Facebook Share')] },

  // ---- Xiaomi
  { id: 'xiaomi-push', name: 'Xiaomi Mi Push', vendor: 'Xiaomi', category: 'push-messaging', prefixes: ['com.xiaomi.mipush.sdk.', 'com.xiaomi.push.'],
    sources: [etip('Xiaomi Push Service'), 'Xiaomi MiPush Android SDK documentation (dev.mi.com): com.xiaomi.mipush.sdk.MiPushClient'] },
  { id: 'xiaomi-mistats', name: 'Xiaomi MiStats', vendor: 'Xiaomi', category: 'vendor-telemetry', prefixes: ['com.xiaomi.mistatistic.sdk.'],
    sources: ['Xiaomi MiStats SDK integration guide (dev.mi.com): com.xiaomi.mistatistic.sdk.MiStatInterface'] },
  { id: 'xiaomi-onetrack', name: 'Xiaomi OneTrack', vendor: 'Xiaomi', category: 'vendor-telemetry', prefixes: ['com.xiaomi.onetrack.'],
    sources: ['Xiaomi OneTrack SDK, as MIUI apps embed it: com.xiaomi.onetrack.OneTrack'] },
  { id: 'miui-analytics', name: 'MIUI Analytics SDK', vendor: 'Xiaomi', category: 'vendor-telemetry', prefixes: ['com.miui.analytics.'],
    sources: ['MIUI Analytics SDK, as MIUI apps embed it: com.miui.analytics.Analytics (the classes of the com.miui.analytics system app are in the same package)'] },

  // ---- Huawei
  { id: 'huawei-analytics', name: 'Huawei HMS Analytics Kit', vendor: 'Huawei', category: 'analytics', prefixes: ['com.huawei.hms.analytics.'],
    sources: [exodus('Huawei Mobile Services (HMS) Core'), 'HMS Core Analytics Kit API reference: com.huawei.hms.analytics.HiAnalytics'] },
  { id: 'huawei-hianalytics', name: 'Huawei HiAnalytics', vendor: 'Huawei', category: 'vendor-telemetry', prefixes: ['com.huawei.hianalytics.'],
    sources: ['ETIP candidate tracker signature: com.huawei.hianalytics.'] },
  { id: 'huawei-push', name: 'Huawei Push Kit', vendor: 'Huawei', category: 'push-messaging', prefixes: ['com.huawei.hms.push.', 'com.huawei.hms.support.api.push.'],
    sources: [exodus('Huawei Mobile Services (HMS) Core'), 'HMS Core Push Kit API reference: com.huawei.hms.push.HmsMessageService'] },
  { id: 'huawei-location', name: 'Huawei Location Kit', vendor: 'Huawei', category: 'location', prefixes: ['com.huawei.hms.location.'], sources: [exodus('Huawei Mobile Services (HMS) Core')] },
  { id: 'huawei-ads', name: 'Huawei Ads Kit', vendor: 'Huawei', category: 'advertising', prefixes: ['com.huawei.openalliance.ad.', 'com.huawei.hms.ads.'],
    sources: [etip('Openalliance (Huawei ads kit)'), 'HMS Core Ads Kit API reference: com.huawei.hms.ads.HwAds'] },

  // ---- Samsung, OPPO / HeyTap, vivo, Meizu
  { id: 'samsung-analytics', name: 'Samsung Analytics', vendor: 'Samsung', category: 'vendor-telemetry', prefixes: ['com.samsung.context.sdk.samsunganalytics.'],
    sources: ['Samsung Analytics SDK, as Samsung apps embed it: com.samsung.context.sdk.samsunganalytics.SamsungAnalytics'] },
  { id: 'samsung-push', name: 'Samsung Push Service', vendor: 'Samsung', category: 'push-messaging', prefixes: ['com.sec.spp.push.'],
    sources: ['Samsung Push Service (SPP) client classes: com.sec.spp.push'] },
  { id: 'heytap-push', name: 'OPPO / HeyTap Push', vendor: 'OPPO', category: 'push-messaging', prefixes: ['com.heytap.msp.push.', 'com.heytap.mcssdk.', 'com.coloros.mcssdk.'],
    sources: [etip('HeyTap'), 'OPPO Push SDK documentation (open.oppomobile.com): com.heytap.msp.push.HeytapPushManager, formerly com.coloros.mcssdk.PushManager'] },
  { id: 'vivo-push', name: 'vivo Push', vendor: 'vivo', category: 'push-messaging', prefixes: ['com.vivo.push.'],
    sources: [etip('Vivo Push SDK'), 'vivo Push SDK documentation (dev.vivo.com.cn): com.vivo.push.PushClient'] },
  { id: 'meizu-push', name: 'Meizu Push', vendor: 'Meizu', category: 'push-messaging', prefixes: ['com.meizu.cloud.pushsdk.'],
    sources: ['Meizu Push SDK documentation (open.flyme.cn): com.meizu.cloud.pushsdk.PushManager'] },

  // ---- Tencent
  { id: 'tencent-mta', name: 'Tencent MTA', vendor: 'Tencent', category: 'analytics', prefixes: ['com.tencent.stat.', 'com.tencent.wxop.stat.', 'com.tencent.mta.'],
    sources: [exodus('Tencent Stats'), exodus('Tencent MTA')] },
  { id: 'tencent-bugly', name: 'Tencent Bugly', vendor: 'Tencent', category: 'crash-reporting', prefixes: ['com.tencent.bugly.'], sources: [exodus('Bugly')] },
  { id: 'tencent-map-lbs', name: 'Tencent Map LBS', vendor: 'Tencent', category: 'location', prefixes: ['com.tencent.map.geolocation.', 'com.tencent.lbs.'], sources: [exodus('Tencent Map LBS')] },
  { id: 'tencent-ads', name: 'Tencent Ads (GDT)', vendor: 'Tencent', category: 'advertising', prefixes: ['com.qq.e.ads.', 'com.qq.e.comm.', 'com.qq.e.tg.'],
    sources: ['ETIP candidate tracker signatures: com.qq.e.ads., com.qq.e.comm., com.qq.e.tg.'] },
  { id: 'tencent-push', name: 'Tencent Push (XG / TPNS)', vendor: 'Tencent', category: 'push-messaging', prefixes: ['com.tencent.android.tpush.'],
    sources: ['Tencent Push Notification Service Android SDK documentation: com.tencent.android.tpush.XGPushManager'] },
  { id: 'wechat-sdk', name: 'WeChat Open SDK', vendor: 'Tencent', category: 'social', prefixes: ['com.tencent.mm.opensdk.'], sources: [etip('Tencent Wechat SDK')] },
  { id: 'qq-sdk', name: 'Tencent QQ Connect', vendor: 'Tencent', category: 'social', prefixes: ['com.tencent.connect.', 'com.tencent.tauth.'], sources: [etip('Tencent QQ SDK')] },

  // ---- Umeng, Alibaba
  { id: 'umeng-analytics', name: 'Umeng Analytics', vendor: 'Umeng (Alibaba)', category: 'analytics', prefixes: ['com.umeng.analytics.'],
    sources: [exodus('Umeng Analytics'), 'Umeng U-App documentation: com.umeng.analytics.MobclickAgent'] },
  { id: 'umeng-common', name: 'Umeng Common SDK', vendor: 'Umeng (Alibaba)', category: 'analytics', prefixes: ['com.umeng.commonsdk.'],
    sources: [etip('Umeng Common SDK logging'), 'Umeng documentation: com.umeng.commonsdk.UMConfigure'] },
  { id: 'umeng-push', name: 'Umeng Push', vendor: 'Umeng (Alibaba)', category: 'push-messaging', prefixes: ['com.umeng.message.', 'com.taobao.accs.', 'com.taobao.agoo.', 'org.android.agoo.'],
    sources: [etip('Umeng Push SDK')] },
  { id: 'umeng-share', name: 'Umeng Share', vendor: 'Umeng (Alibaba)', category: 'social', prefixes: ['com.umeng.socialize.'], sources: ['ETIP candidate tracker signature: com.umeng.socialize.'] },
  { id: 'alibaba-utdid', name: 'Alibaba UTDID', vendor: 'Alibaba', category: 'analytics', prefixes: ['com.ta.utdid2.'], sources: [etip('Alibaba UserTrack Device IDentity (UTDID)')] },
  { id: 'alibaba-analytics', name: 'Alibaba Analytics', vendor: 'Alibaba', category: 'analytics', prefixes: ['com.alibaba.analytics.'], sources: [etip('Alibaba analytics')] },
  { id: 'alipay', name: 'Alipay SDK', vendor: 'Ant Group', category: 'payments', prefixes: ['com.alipay.sdk.'], sources: [etip('Alipay SDK')] },
  { id: 'amap', name: 'AutoNavi / Amap', vendor: 'Alibaba', category: 'location', prefixes: ['com.amap.api.'], sources: [exodus('AutoNavi / Amap')] },

  // ---- Baidu
  { id: 'baidu-mobstat', name: 'Baidu Mobile Stat', vendor: 'Baidu', category: 'analytics', prefixes: ['com.baidu.mobstat.'], sources: [exodus('Baidu Mobile Stat')] },
  { id: 'baidu-location', name: 'Baidu Location', vendor: 'Baidu', category: 'location', prefixes: ['com.baidu.location.'], sources: [exodus('Baidu Location')] },
  { id: 'baidu-map', name: 'Baidu Map', vendor: 'Baidu', category: 'location', prefixes: ['com.baidu.mapapi.'], sources: [exodus('Baidu Map')] },
  { id: 'baidu-mobads', name: 'Baidu Mobile Ads', vendor: 'Baidu', category: 'advertising', prefixes: ['com.baidu.mobads.'], sources: [exodus('Baidu Mobile Ads')] },
  { id: 'baidu-push', name: 'Baidu Cloud Push', vendor: 'Baidu', category: 'push-messaging', prefixes: ['com.baidu.android.pushservice.'],
    sources: ['Baidu Cloud Push Android SDK documentation: com.baidu.android.pushservice.PushManager'] },

  // ---- Other push and analytics SDKs common in Chinese apps
  { id: 'jpush', name: 'JPush (JiGuang)', vendor: 'Aurora Mobile', category: 'push-messaging', prefixes: ['cn.jpush.android.'], sources: [exodus('JiGuang Aurora Mobile JPush')] },
  { id: 'getui', name: 'Getui Push', vendor: 'Getui', category: 'push-messaging', prefixes: ['com.igexin.sdk.'], sources: ['Getui Android SDK documentation: com.igexin.sdk.PushManager'] },
  { id: 'talkingdata', name: 'TalkingData', vendor: 'TalkingData', category: 'analytics',
    prefixes: ['com.talkingdata.sdk.', 'com.tendcloud.tenddata.', 'com.tendcloud.appcpa.'], sources: [exodus('TalkingData')] },
  { id: 'sensors-analytics', name: 'Sensors Analytics', vendor: 'Sensors Data', category: 'analytics', prefixes: ['com.sensorsdata.analytics.android.sdk.'], sources: [exodus('Sensors Analytics')] },
  { id: 'growingio', name: 'GrowingIO', vendor: 'GrowingIO', category: 'analytics', prefixes: ['com.growingio.'], sources: [etip('GrowingIO')] },
  { id: 'thinkingdata', name: 'ThinkingData Analytics', vendor: 'ThinkingData', category: 'analytics', prefixes: ['cn.thinkingdata.'], sources: [exodus('ThinkingData Analytics')] },
  { id: 'shuzilm', name: 'Digital Union (shuzilm)', vendor: 'Digital Union', category: 'analytics', prefixes: ['cn.shuzilm.core.'], sources: [etip('Digital Union (shuzilm)')] },
  { id: 'pangle', name: 'Pangle', vendor: 'ByteDance', category: 'advertising', prefixes: ['com.bytedance.sdk.openadsdk.'], sources: [exodus('Pangle')] },
  { id: 'bytedance-applog', name: 'ByteDance AppLog', vendor: 'ByteDance', category: 'analytics', prefixes: ['com.bytedance.applog.', 'com.bytedance.embedapplog.'], sources: [exodus('Pangle')] },
  { id: 'weibo-sdk', name: 'Weibo SDK', vendor: 'Sina', category: 'social', prefixes: ['com.sina.weibo.sdk.'], sources: [etip('Sino Weibo SDK')] },

  // ---- Analytics, attribution and crash reporting elsewhere
  { id: 'appsflyer', name: 'AppsFlyer', vendor: 'AppsFlyer', category: 'analytics', prefixes: ['com.appsflyer.'], sources: [exodus('AppsFlyer')] },
  { id: 'adjust', name: 'Adjust', vendor: 'Adjust', category: 'analytics', prefixes: ['com.adjust.sdk.'], sources: [exodus('Adjust')] },
  { id: 'flurry', name: 'Flurry', vendor: 'Yahoo', category: 'analytics', prefixes: ['com.flurry.'], sources: [exodus('Flurry')] },
  { id: 'mixpanel', name: 'Mixpanel', vendor: 'Mixpanel', category: 'analytics', prefixes: ['com.mixpanel.'], sources: [exodus('MixPanel')] },
  { id: 'amplitude', name: 'Amplitude', vendor: 'Amplitude', category: 'analytics', prefixes: ['com.amplitude.'], sources: [exodus('Amplitude')] },
  { id: 'branch', name: 'Branch', vendor: 'Branch', category: 'analytics', prefixes: ['io.branch.'], sources: [exodus('Branch')] },
  { id: 'appmetrica', name: 'Yandex AppMetrica', vendor: 'Yandex', category: 'analytics', prefixes: ['com.yandex.metrica.'], sources: [exodus('AppMetrica')] },
  { id: 'countly', name: 'Countly', vendor: 'Countly', category: 'analytics', prefixes: ['ly.count.android.'], sources: [exodus('Countly')] },
  { id: 'matomo', name: 'Matomo (Piwik)', vendor: 'Matomo', category: 'analytics', prefixes: ['org.matomo.', 'org.piwik.'], sources: [exodus('Matomo (Piwik)')] },
  { id: 'mozilla-telemetry', name: 'Mozilla Telemetry', vendor: 'Mozilla', category: 'analytics', prefixes: ['org.mozilla.telemetry.', 'mozilla.telemetry.glean.'], sources: [exodus('Mozilla Telemetry')] },
  { id: 'newrelic', name: 'New Relic', vendor: 'New Relic', category: 'analytics', prefixes: ['com.newrelic.agent.'], sources: [exodus('New Relic')] },
  { id: 'appcenter-analytics', name: 'Microsoft App Center Analytics', vendor: 'Microsoft', category: 'analytics', prefixes: ['com.microsoft.appcenter.analytics.'],
    sources: [exodus('Microsoft Visual Studio App Center Analytics')] },
  { id: 'appcenter-crashes', name: 'Microsoft App Center Crashes', vendor: 'Microsoft', category: 'crash-reporting', prefixes: ['com.microsoft.appcenter.crashes.'],
    sources: [exodus('Microsoft Visual Studio App Center Crashes')] },
  { id: 'sentry', name: 'Sentry', vendor: 'Sentry', category: 'crash-reporting', prefixes: ['io.sentry.'], sources: [etip('Sentry')] },
  { id: 'bugsnag', name: 'Bugsnag', vendor: 'SmartBear', category: 'crash-reporting', prefixes: ['com.bugsnag.'], sources: [exodus('Bugsnag')] },
  { id: 'acra', name: 'ACRA', vendor: 'ACRA', category: 'crash-reporting', prefixes: ['org.acra.'], sources: [etip('ACRA')] },
  { id: 'instabug', name: 'Instabug', vendor: 'Instabug', category: 'crash-reporting', prefixes: ['com.instabug.'], sources: [exodus('Instabug')] },

  // ---- Push elsewhere
  { id: 'onesignal', name: 'OneSignal', vendor: 'OneSignal', category: 'push-messaging', prefixes: ['com.onesignal.'], sources: [exodus('OneSignal')] },
  { id: 'pushwoosh', name: 'Pushwoosh', vendor: 'Pushwoosh', category: 'push-messaging', prefixes: ['com.pushwoosh.'], sources: [exodus('Pushwoosh')] },
  { id: 'airship', name: 'Airship (Urban Airship)', vendor: 'Airship', category: 'push-messaging', prefixes: ['com.urbanairship.'], sources: [exodus('Urbanairship')] },

  // ---- Advertising
  { id: 'unity-ads', name: 'Unity Ads', vendor: 'Unity', category: 'advertising', prefixes: ['com.unity3d.ads.', 'com.unity3d.services.'], sources: [exodus('Unity3d Ads')] },
  { id: 'applovin', name: 'AppLovin', vendor: 'AppLovin', category: 'advertising', prefixes: ['com.applovin.'], sources: [exodus('AppLovin (MAX and SparkLabs)')] },
  { id: 'ironsource', name: 'ironSource', vendor: 'Unity', category: 'advertising', prefixes: ['com.ironsource.'], sources: [exodus('ironSource')] },
  { id: 'mintegral', name: 'Mintegral', vendor: 'Mintegral', category: 'advertising', prefixes: ['com.mintegral.'], sources: [exodus('Mintegral')] },
  { id: 'vungle', name: 'Vungle', vendor: 'Liftoff', category: 'advertising', prefixes: ['com.vungle.warren.', 'com.vungle.publisher.'], sources: [exodus('Vungle')] },
  { id: 'chartboost', name: 'Chartboost', vendor: 'Chartboost', category: 'advertising', prefixes: ['com.chartboost.sdk.'], sources: [exodus('ChartBoost')] },
  { id: 'inmobi', name: 'InMobi', vendor: 'InMobi', category: 'advertising', prefixes: ['com.inmobi.'], sources: [exodus('Inmobi')] },
  { id: 'mopub', name: 'MoPub', vendor: 'Twitter', category: 'advertising', prefixes: ['com.mopub.'], sources: [exodus('Twitter MoPub')] },
  { id: 'startapp', name: 'Start.io (StartApp)', vendor: 'Start.io', category: 'advertising', prefixes: ['com.startapp.'], sources: [exodus('Startapp')] },
  { id: 'criteo', name: 'Criteo', vendor: 'Criteo', category: 'advertising', prefixes: ['com.criteo.'], sources: [exodus('Criteo')] },
  { id: 'iab-open-measurement', name: 'IAB Open Measurement', vendor: 'IAB Tech Lab', category: 'advertising', prefixes: ['com.iab.omid.library.'], sources: [exodus('IAB Open Measurement')] },

  // ---- Location, social, payments elsewhere
  { id: 'mapbox-telemetry', name: 'Mapbox Telemetry', vendor: 'Mapbox', category: 'location', prefixes: ['com.mapbox.android.telemetry.'], sources: [exodus('Mapbox')] },
  { id: 'foursquare-pilgrim', name: 'Pilgrim by Foursquare', vendor: 'Foursquare', category: 'location', prefixes: ['com.foursquare.pilgrim.'], sources: [exodus('Pilgrim by Foursquare')] },
  { id: 'vk-sdk', name: 'VKontakte SDK', vendor: 'VK', category: 'social', prefixes: ['com.vk.sdk.', 'com.vk.api.sdk.'], sources: [exodus('VKontakte SDK')] },
  { id: 'paypal', name: 'PayPal SDK', vendor: 'PayPal', category: 'payments', prefixes: ['com.paypal.android.sdk.'], sources: ['PayPal Android SDK documentation: com.paypal.android.sdk.payments.PayPalService'] },
  { id: 'stripe', name: 'Stripe', vendor: 'Stripe', category: 'payments', prefixes: ['com.stripe.android.'], sources: ['Stripe Android SDK reference: com.stripe.android.Stripe'] },
];
